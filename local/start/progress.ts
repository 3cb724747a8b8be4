/** One stderr line whenever the counts move: published, processed (deleted), dead-lettered. */
export interface ProgressSources {
  readonly write: (line: string) => void;
  /** Records the function has finished with (succeeded or dead-lettered), from the runner's stats. */
  readonly processed: () => number;
  /** Messages in the DLQ. */
  readonly deadLettered: () => Promise<number>;
  readonly intervalMs?: number;
}

export interface Progress {
  published(count: number): void;
  /** Prints the last counts and stops polling. */
  stop(): Promise<void>;
}

export const startProgress = (sources: ProgressSources): Progress => {
  let published = 0;
  let deadLettered = 0;
  let last = '';
  const print = () => {
    const line = `published ${published}, processed ${sources.processed()}, dead-lettered ${deadLettered}`;
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
  const timer = setInterval(() => {
    ticking = ticking.then(refresh);
  }, sources.intervalMs ?? 250);
  return {
    published: (count) => {
      published += count;
      print();
    },
    stop: async () => {
      clearInterval(timer);
      await ticking;
      await refresh();
    },
  };
};
