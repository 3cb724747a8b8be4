import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { InvalidBatchResponseError, settleBatch } from '../../../local/runner/index.ts';

const record = (messageId: string) => ({ messageId }) as SQSRecord;
const batch = [record('m-1'), record('m-2')];
const ids = (records: SQSRecord[]) => records.map((r) => r.messageId);

describe('settleBatch (how the event source mapping reads an SQSBatchResponse)', () => {
  it.each<[string, unknown]>([
    ['no response', undefined],
    ['a null response', null],
    ['an empty response', {}],
    ['a null list', { batchItemFailures: null }],
    ['an empty list', { batchItemFailures: [] }],
  ])('treats %s as complete success', (_, response) => {
    const settled = settleBatch(batch, response);
    expect(ids(settled.succeeded)).toEqual(['m-1', 'm-2']);
    expect(settled.failed).toEqual([]);
  });

  it('keeps only the named records for redelivery', () => {
    const settled = settleBatch(batch, {
      batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-2' }],
    });
    expect(ids(settled.succeeded)).toEqual(['m-1']);
    expect(ids(settled.failed)).toEqual(['m-2']);
  });

  it.each<[string, unknown]>([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misspelt key', { batchItemFailures: [{ itemId: 'm-1' }] }],
    ['an unknown message id', { batchItemFailures: [{ itemIdentifier: 'm-9' }] }],
    ['a list that is not a list', { batchItemFailures: 'm-1' }],
    ['a response that is not an object', 'ok'],
  ])('fails the whole batch for %s', (_, response) => {
    expect(() => settleBatch(batch, response)).toThrow(InvalidBatchResponseError);
  });
});
