/** Publishes an event file and waits until the function has dealt with every message. */

import { approximateDepth } from '../../cli/dlq/dead-letters.ts';
import type { EventLine } from '../expectations.ts';
import { DrainTimeoutError, type EventSourceRunner } from '../runner/index.ts';
import { startProgress } from './progress.ts';
import { publishLines, type RefusedLine } from './publish.ts';
import type { Target } from './target.ts';

/** Generous: the sample takes a few seconds; a retried record waits a visibility timeout. */
export const DRAIN_TIMEOUT_MS = 120_000;

export interface ReplayResult {
  readonly refused: RefusedLine[];
  /** Set when the queue did not drain in time (the report then shows whatever state was reached). */
  readonly drainError: DrainTimeoutError | undefined;
}

export const replay = async (
  target: Target,
  worker: EventSourceRunner,
  lines: readonly EventLine[],
  log: (line: string) => void,
): Promise<ReplayResult> => {
  const progress = startProgress({
    write: log,
    processed: () => worker.stats().succeeded,
    inFlight: () => worker.stats().inFlight,
    deadLettered: () => approximateDepth(target.sqs, target.dlqUrl),
  });
  let drainError: DrainTimeoutError | undefined;
  let refused: RefusedLine[] = [];
  try {
    refused = await publishLines(target, lines, (count) => progress.published(count));
    for (const line of refused) log(`line ${line.lineNumber} was not published: ${line.reason}`);
    await worker.drained({ timeoutMs: DRAIN_TIMEOUT_MS });
  } catch (error) {
    if (!(error instanceof DrainTimeoutError)) throw error;
    drainError = error;
    log(error.message);
  } finally {
    await progress.stop();
  }
  return { refused, drainError };
};
