/**
 * `tenants backfill <file>`: enqueues `tenant.created` for customers that existed before the
 * service. Each row's eventId is `backfill-<tenantId>`, so a row sent twice is one event to SQS
 * (within its deduplication window) and a no-op to the processor; the state file makes reruns
 * skip rows already accepted, however much later they happen (cli/backfill/state.ts).
 *
 * Pacing (docs/capacity.md): at most `--rate` messages a second, halved whenever SQS throttles
 * and climbing back once it stops; the rate can be changed while running (`--rate-file`,
 * SIGUSR1/SIGUSR2), and `--max-backlog` holds sending while the queue backs up, which is how the
 * function being slowed down downstream (Twilio's 429s) reaches the producer. Ctrl-C stops after
 * the chunk in flight, with everything sent recorded: run the same command again to resume.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createBacklogGate } from '../backfill/backlog.ts';
import {
  createBackfillControl,
  initialRateFromFile,
  processSignals,
  type SignalSource,
} from '../backfill/control.ts';
import { createAdaptivePacer, formatRate, parseRate } from '../backfill/pacer.ts';
import { createBackfillProgress } from '../backfill/progress.ts';
import { type BackfillRow, readBackfillRows } from '../backfill/rows.ts';
import { type Planned, sendRows } from '../backfill/send.ts';
import { compactBackfillState, loadBackfillState, stateFileFor } from '../backfill/state.ts';
import { watchThrottling } from '../backfill/throttle.ts';
import { requireCliSetting } from '../config.ts';
import type { CliContext } from '../context.ts';
import { CliFileError, CliInputError } from '../errors.ts';
import { buildTenantEvent, queueMessageOf } from '../event-input.ts';
import type { CliIo } from '../io.ts';
import { addQueueUrlOption } from '../options.ts';
import { errorLine, writeLine } from '../output.ts';
import { type CommandRuntime, EXIT } from '../runtime.ts';

export interface BackfillOptions {
  readonly rate: string;
  readonly rateFile?: string;
  readonly maxBacklog?: string;
  readonly state?: string;
  readonly queueUrl?: string;
}

/** What a shell reports for a run ended by Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

export const backfillEventId = (tenantId: string): string => `backfill-${tenantId}`;

const readSource = async (path: string): Promise<string> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliFileError('read', path, error);
  }
};

/** Every row's event and message, checked before anything is sent. */
const plan = (rows: readonly BackfillRow[], now: Date): Planned[] =>
  rows.map((row) => {
    const event = buildTenantEvent(
      {
        type: 'tenant.created',
        tenantId: row.tenantId,
        tenantName: row.tenantName,
        eventId: backfillEventId(row.tenantId),
      },
      now,
    );
    return { row, event, message: queueMessageOf(event) };
  });

const parseMaxBacklog = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new CliInputError(`--max-backlog "${text}" must be a whole number of messages, like 1000`);
  }
  return value;
};

export const runBackfill = async (
  file: string,
  options: BackfillOptions,
  ctx: CliContext,
  io: CliIo,
  signals: SignalSource = processSignals(),
): Promise<number> => {
  const requestedRate = parseRate(options.rate);
  const maxBacklog = parseMaxBacklog(options.maxBacklog);
  const sourcePath = resolve(io.cwd, file);
  const planned = plan(readBackfillRows(file, await readSource(sourcePath)), io.now());
  const queueUrl = requireCliSetting(ctx.config, 'queueUrl');
  const statePath = options.state === undefined ? stateFileFor(sourcePath) : resolve(io.cwd, options.state);
  const state = { path: statePath, value: await loadBackfillState(statePath, sourcePath) };

  const pending = planned.filter(({ row }) => state.value.sent[row.tenantId] === undefined);
  const skipped = planned.length - pending.length;
  if (pending.length === 0) {
    await compactBackfillState(statePath, state.value);
    writeLine(io.stdout, `backfill: nothing to send, all ${planned.length} rows already sent (${statePath})`);
    return EXIT.ok;
  }
  // Fails here, before any send, when the state file cannot be written; folds in the journal of
  // an interrupted run.
  await compactBackfillState(statePath, state.value);
  const rateFile = options.rateFile === undefined ? undefined : resolve(io.cwd, options.rateFile);
  const rate = rateFile === undefined ? requestedRate : await initialRateFromFile(rateFile, requestedRate);

  const clock = { now: () => io.now().getTime(), sleep: io.sleep };
  const pacer = createAdaptivePacer(rate, clock);
  const progress = createBackfillProgress({
    stream: io.stderr,
    total: pending.length,
    now: clock.now,
    pacedAt: () => pacer.rate,
  });
  const control = createBackfillControl({
    signals,
    rateFile,
    currentRate: () => pacer.ceiling,
    now: clock.now,
    warn: (line) => progress.note(line),
    onStopRequested: () =>
      progress.note('backfill: stopping after the chunk in flight (Ctrl-C again to quit at once)'),
  });
  const sqs = ctx.sqs();
  let throttles = 0;
  const unwatch = watchThrottling(sqs, () => {
    throttles += 1;
  });
  writeLine(
    io.stderr,
    `backfill: ${pending.length} rows to send (${skipped} already sent), paced at ${formatRate(rate)}; ` +
      `pid ${signals.pid}: SIGUSR1 doubles the rate, SIGUSR2 halves it, Ctrl-C stops and keeps the place`,
  );
  let outcome: Awaited<ReturnType<typeof sendRows>>;
  try {
    outcome = await sendRows(pending, {
      target: { sqs, queueUrl },
      state,
      pacer,
      control,
      backlog: createBacklogGate({
        sqs,
        queueUrl,
        maxBacklog,
        now: clock.now,
        sleep: io.sleep,
        report: (line) => progress.note(line),
        stopping: () => control.stopping,
      }),
      progress,
      throttlesSeen: () => throttles,
      now: io.now,
      sleep: io.sleep,
    });
  } finally {
    control.close();
    unwatch();
    await compactBackfillState(statePath, state.value);
  }
  const { sent, failures, unsent, throttled } = outcome;
  progress.finish(sent + failures.length, failures.length);
  for (const { row, reason } of failures) {
    writeLine(io.stderr, errorLine(`line ${row.line} (${row.tenantId}): ${reason}`));
  }
  writeLine(
    io.stdout,
    `backfill: ${sent} sent, ${skipped} skipped (already sent), ${failures.length} failed, of ${planned.length} rows` +
      `${throttled > 0 ? `, ${throttled} throttled sends retried` : ''}; state in ${statePath}`,
  );
  if (unsent > 0) {
    writeLine(
      io.stdout,
      `backfill: interrupted with ${unsent} rows left; run the same command again to send them`,
    );
    return EXIT_INTERRUPTED;
  }
  return failures.length > 0 ? EXIT.attention : EXIT.ok;
};

export const registerBackfillCommand = (program: Command, runtime: CommandRuntime): void => {
  const command = program
    .command('backfill')
    .description('enqueue tenant.created for existing customers from a CSV or JSONL file (resumable)')
    .argument(
      '<file>',
      'a .csv file with a header row (tenantId, optional tenantName or name) or a .jsonl file',
    )
    .option('--rate <n/s>', 'messages per second at most (halved while SQS throttles)', '50')
    .option(
      '--rate-file <file>',
      'a file holding the rate, re-read while running (created with --rate if absent; 0 pauses)',
    )
    .option('--max-backlog <n>', 'hold sending while more than n messages wait in the queue')
    .option('--state <file>', 'state file recording rows already sent (default: <file>.backfill-state.json)');
  addQueueUrlOption(command).action((file: string, options: BackfillOptions) =>
    runtime.run(options, (ctx) => runBackfill(file, options, ctx, runtime.io)),
  );
};
