/**
 * Progress of a replay on stderr: published, processed (deleted), dead-lettered, and how many
 * records the function holds right now. One line per tick at most, and only when a count moved:
 * publishing a file takes a few milliseconds per SendMessageBatch, so printing per batch would
 * print several lines before the first invocation could even end, all saying "processed 0".
 * Records received but not yet settled (a cold start, a slow call) show as "in the function".
 */
export interface ProgressSources {
  readonly write: (line: string) => void;
  /** Records the function has finished with (succeeded or dead-lettered), from the runner's stats. */
  readonly processed: () => number;
  /** Records the function has received and not yet settled. */
  readonly inFlight?: () => number;
  /** Messages in the DLQ. */
  readonly deadLettered: () => Promise<number>;
  readonly intervalMs?: number;
}

export interface Progress {
  published(count: number): void;
  /** Prints the last counts and stops polling. */
  stop(): Promise<void>;
}

const DEFAULT_INTERVAL_MS = 250;

export const formatProgress = (counts: {
  readonly published: number;
  readonly processed: number;
  readonly deadLettered: number;
  readonly inFlight: number;
}): string =>
  `published ${counts.published}, processed ${counts.processed}, dead-lettered ${counts.deadLettered}` +
  (counts.inFlight > 0 ? ` (${counts.inFlight} in the function)` : '');

export const startProgress = (sources: ProgressSources): Progress => {
  let published = 0;
  let deadLettered = 0;
  let last = '';
  const print = () => {
    const line = formatProgress({
      published,
      processed: sources.processed(),
      deadLettered,
      inFlight: sources.inFlight?.() ?? 0,
    });
    if (line !== last) sources.write(line);
    last = line;
  };
  const refresh = async () => {
    try {
      deadLettered = await sources.deadLettered();
    } catch {
      // A missed sample only delays the count; the next tick reads it again.
    }
    print();
  };
  let ticking: Promise<void> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    // A slow DLQ read never queues up ticks behind it.
    if (busy) return;
    busy = true;
    ticking = refresh().finally(() => {
      busy = false;
    });
  }, sources.intervalMs ?? DEFAULT_INTERVAL_MS);
  return {
    published: (count) => {
      published += count;
    },
    stop: async () => {
      clearInterval(timer);
      await ticking;
      await refresh();
    },
  };
};
