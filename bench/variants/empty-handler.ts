/**
 * The floor of the cold-start benchmark: a handler that does nothing, bundled with the same
 * options, so what remains of a real handler's cold start is its own code and dependencies.
 */
import type { SQSBatchResponse } from 'aws-lambda';

export const handler = async (): Promise<SQSBatchResponse> => ({ batchItemFailures: [] });
