import type { SQSRecord } from 'aws-lambda';
import { InvalidBatchResponseError } from './errors.ts';

export interface BatchSettlement {
  succeeded: SQSRecord[];
  failed: SQSRecord[];
}

/**
 * Reads a handler's result the way the event source mapping does with ReportBatchItemFailures:
 * no response, or no / an empty `batchItemFailures` list, means every record succeeded; an entry
 * whose `itemIdentifier` is missing, empty or names no record of the batch fails the whole batch
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
 *
 * @throws InvalidBatchResponseError when the whole batch must count as failed.
 */
export const settleBatch = (records: SQSRecord[], result: unknown): BatchSettlement => {
  const failures = readBatchItemFailures(result);
  const byId = new Map(records.map((record) => [record.messageId, record]));
  const failedIds = new Set<string>();
  for (const failure of failures) failedIds.add(readItemIdentifier(failure, byId));
  return {
    succeeded: records.filter((record) => !failedIds.has(record.messageId)),
    failed: records.filter((record) => failedIds.has(record.messageId)),
  };
};

const readBatchItemFailures = (result: unknown): unknown[] => {
  if (result === undefined || result === null) return [];
  if (typeof result !== 'object' || Array.isArray(result)) {
    throw new InvalidBatchResponseError(
      `expected an object, got ${Array.isArray(result) ? 'an array' : typeof result}`,
    );
  }
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return [];
  if (!Array.isArray(failures)) throw new InvalidBatchResponseError('batchItemFailures is not a list');
  return failures;
};

const readItemIdentifier = (failure: unknown, byId: Map<string, SQSRecord>): string => {
  const id =
    typeof failure === 'object' && failure !== null
      ? (failure as { itemIdentifier?: unknown }).itemIdentifier
      : undefined;
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidBatchResponseError('a batchItemFailures entry has no itemIdentifier');
  }
  if (!byId.has(id))
    throw new InvalidBatchResponseError(`itemIdentifier "${id}" names no record of the batch`);
  return id;
};
