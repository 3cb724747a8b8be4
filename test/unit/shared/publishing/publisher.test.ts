/** The publisher refuses ids real SQS refuses before sending, and still sends the rest in order. */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { InvalidSqsIdError, PublishError } from '../../../../shared/publishing/errors.ts';
import {
  type OutgoingMessage,
  type PublishResult,
  publishMessages,
} from '../../../../shared/publishing/publisher.ts';

/** Records every SendMessageBatch and accepts all of its entries, as a permissive local queue does. */
const recordingSqs = () => {
  const batches: { Id?: string; MessageGroupId?: string; MessageDeduplicationId?: string }[][] = [];
  const sqs = {
    send: async (command: unknown) => {
      if (!(command instanceof SendMessageBatchCommand)) throw new Error('unexpected command');
      const entries = command.input.Entries ?? [];
      batches.push(entries);
      return {
        Successful: entries.map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}` })),
        Failed: [],
      };
    },
  } as unknown as SQSClient;
  return { sqs, batches };
};

const message = (groupId: string, deduplicationId: string): OutgoingMessage => ({
  body: '{}',
  groupId,
  deduplicationId,
});

describe('publishMessages', () => {
  it('reports an id SQS would refuse without sending it, naming the field, and sends the others', async () => {
    const { sqs, batches } = recordingSqs();
    const chunks: (readonly PublishResult[])[] = [];
    const results = await publishMessages(
      { sqs, queueUrl: 'https://sqs.example/q.fifo' },
      [message('acme', 'e1'), message('g'.repeat(129), 'e2'), message('acme', 'e 3'), message('acme', 'e4')],
      (chunk) => {
        chunks.push(chunk);
      },
    );
    expect(batches).toHaveLength(1);
    expect(batches[0]?.map((entry) => entry.MessageDeduplicationId)).toEqual(['e1', 'e4']);
    expect(results.map((result) => result.index)).toEqual([0, 1, 2, 3]);
    expect(results[0]).toEqual({ index: 0, messageId: 'm-0' });
    expect(results[3]).toEqual({ index: 3, messageId: 'm-3' });
    expect(results[1]?.error).toBeInstanceOf(InvalidSqsIdError);
    expect(results[1]?.error?.message).toMatch(
      /^MessageGroupId ".*" has 129 characters, SQS allows at most 128$/,
    );
    expect(results[2]?.error).toMatchObject({ field: 'MessageDeduplicationId', retryable: false });
    expect(results[2]?.error?.message).toMatch(/^MessageDeduplicationId "e 3" has a space/);
    // Every result reaches the progress callback exactly once.
    expect(
      chunks
        .flat()
        .map((result) => result.index)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
  });

  it('sends nothing at all when every message is refused', async () => {
    const { sqs, batches } = recordingSqs();
    const results = await publishMessages({ sqs, queueUrl: 'q' }, [message('', 'e1')]);
    expect(batches).toEqual([]);
    expect(results[0]?.error?.message).toBe('MessageGroupId "" must not be empty');
  });

  it('still reports what SQS itself refuses, per entry', async () => {
    const sqs = {
      send: async () => ({
        Successful: [{ Id: '1', MessageId: 'm-1' }],
        Failed: [{ Id: '0', Code: 'InvalidParameterValue', Message: 'too big', SenderFault: true }],
      }),
    } as unknown as SQSClient;
    const [first, second] = await publishMessages({ sqs, queueUrl: 'q' }, [
      message('a', 'e1'),
      message('a', 'e2'),
    ]);
    expect(first?.error).toBeInstanceOf(PublishError);
    expect(first?.error).toMatchObject({
      retryable: false,
      message: 'SQS refused message 0: InvalidParameterValue too big',
    });
    expect(second).toEqual({ index: 1, messageId: 'm-1' });
  });
});
