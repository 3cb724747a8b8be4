/** Publishes the lines through the shared publisher, in file order (FIFO order per tenant). */
import { type PublishResult, publishMessages } from '../../shared/publishing/publisher.ts';
import type { EventLine } from '../expectations.ts';
import { toOutgoingMessages } from './outgoing.ts';
import type { Target } from './target.ts';

export interface RefusedLine {
  readonly lineNumber: number;
  /** The publisher's error message (SQS's code and message, never the body). */
  readonly reason: string;
}

export const publishLines = async (
  target: Pick<Target, 'sqs' | 'queueUrl'>,
  lines: readonly EventLine[],
  onPublished: (count: number) => void,
): Promise<RefusedLine[]> => {
  const count = (results: readonly PublishResult[]) =>
    results.filter((result) => result.error === undefined).length;
  const results = await publishMessages(
    { sqs: target.sqs, queueUrl: target.queueUrl },
    toOutgoingMessages(lines),
    (chunk) => onPublished(count(chunk)),
  );
  return results.flatMap((result) =>
    result.error === undefined
      ? []
      : [{ lineNumber: lines[result.index]?.lineNumber ?? result.index + 1, reason: result.error.message }],
  );
};
