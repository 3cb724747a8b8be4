/**
 * Captures every log line of a run: what the runner, the emulators and the handler print. The
 * handler runs in worker threads whose stdout/stderr Node pipes into this process's streams, so
 * those are intercepted too (and kept off the console) until `stop()`.
 */
export interface CapturedLine {
  /** `runner`, `twilio`, `secrets`, `stdout` or `stderr`. */
  readonly source: string;
  readonly text: string;
}

export interface LogCapture {
  /** A line sink for a `log` option. */
  sink(source: string): (line: string) => void;
  lines(): readonly CapturedLine[];
  /** Restores process.stdout / process.stderr; safe to call twice. */
  stop(): void;
}

type Write = typeof process.stdout.write;

const textOf = (chunk: unknown): string =>
  typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');

export const startLogCapture = (): LogCapture => {
  const captured: CapturedLine[] = [];
  const push = (source: string, text: string): void => {
    for (const line of text.split('\n')) if (line.trim() !== '') captured.push({ source, text: line });
  };
  const streams = [
    { name: 'stdout', stream: process.stdout },
    { name: 'stderr', stream: process.stderr },
  ] as const;
  const partial = new Map<string, string>();
  const originals = streams.map(({ name, stream }) => {
    const original = stream.write;
    const write = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
      const text = (partial.get(name) ?? '') + textOf(chunk);
      const end = text.lastIndexOf('\n');
      partial.set(name, text.slice(end + 1));
      if (end >= 0) push(name, text.slice(0, end));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => done());
      return true;
    };
    stream.write = write as Write;
    return { name, stream, original };
  });
  let stopped = false;

  return {
    sink: (source) => (line) => push(source, line),
    lines: () => captured,
    stop: () => {
      if (stopped) return;
      stopped = true;
      for (const { name, stream, original } of originals) {
        stream.write = original;
        const rest = partial.get(name);
        if (rest) push(name, rest);
      }
    },
  };
};
