/**
 * `tenants backfill <file>`: enqueues `tenant.created` for customers that existed before the
 * service. Each row's eventId is `backfill-<tenantId>`, so a row sent twice is one event to SQS
 * (within its deduplication window) and a no-op to the processor; the state file makes reruns
 * skip rows already accepted, however much later they happen.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { TenantEvent } from '../../shared/domain/event.ts';
import {
  type OutgoingMessage,
  type PublishTarget,
  publishMessages,
  SQS_BATCH_LIMIT,
} from '../../shared/publishing/publisher.ts';
import { createPacer, parseRate } from '../backfill/pacer.ts';
import { type BackfillRow, readBackfillRows } from '../backfill/rows.ts';
import { type BackfillState, loadBackfillState, saveBackfillState, stateFileFor } from '../backfill/state.ts';
import { requireCliSetting } from '../config.ts';
import type { CliContext } from '../context.ts';
import { CliFileError } from '../errors.ts';
import { buildTenantEvent, queueMessageOf } from '../event-input.ts';
import type { CliIo } from '../io.ts';
import { addQueueUrlOption } from '../options.ts';
import { errorLine, writeLine } from '../output.ts';
import { createProgress } from '../progress.ts';
import { type CommandRuntime, EXIT } from '../runtime.ts';

export interface BackfillOptions {
  readonly rate: string;
  readonly state?: string;
  readonly queueUrl?: string;
}

interface Planned {
  readonly row: BackfillRow;
  readonly event: TenantEvent;
  readonly message: OutgoingMessage;
}

interface RowFailure {
  readonly row: BackfillRow;
  readonly reason: string;
}

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

const chunksOf = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};

const sendAll = async (
  pending: readonly Planned[],
  rate: number,
  target: PublishTarget,
  state: { path: string; value: BackfillState },
  io: CliIo,
): Promise<{ sent: number; failures: RowFailure[] }> => {
  const pacer = createPacer(rate, { now: () => io.now().getTime(), sleep: io.sleep });
  const progress = createProgress(io.stderr, pending.length, 'backfill: sent');
  const failures: RowFailure[] = [];
  let sent = 0;
  // Below 10/s a full batch would burst past the rate; smaller batches keep it even.
  for (const chunk of chunksOf(pending, Math.max(1, Math.min(SQS_BATCH_LIMIT, Math.floor(rate))))) {
    await pacer.take(chunk.length);
    const results = await publishMessages(
      target,
      chunk.map((planned) => planned.message),
    );
    for (const result of results) {
      const planned = chunk[result.index];
      if (planned === undefined) continue;
      if (result.error !== undefined || result.messageId === undefined) {
        failures.push({ row: planned.row, reason: result.error?.message ?? 'no message id' });
        continue;
      }
      sent += 1;
      state.value.sent[planned.row.tenantId] = {
        line: planned.row.line,
        eventId: planned.event.eventId,
        messageId: result.messageId,
        sentAt: io.now().toISOString(),
      };
    }
    await saveBackfillState(state.path, state.value);
    progress.update(sent + failures.length, failures.length);
  }
  progress.finish();
  return { sent, failures };
};

export const runBackfill = async (
  file: string,
  options: BackfillOptions,
  ctx: CliContext,
  io: CliIo,
): Promise<number> => {
  const rate = parseRate(options.rate);
  const sourcePath = resolve(io.cwd, file);
  const planned = plan(readBackfillRows(file, await readSource(sourcePath)), io.now());
  const queueUrl = requireCliSetting(ctx.config, 'queueUrl');
  const statePath = options.state === undefined ? stateFileFor(sourcePath) : resolve(io.cwd, options.state);
  const state = { path: statePath, value: await loadBackfillState(statePath, sourcePath) };

  const pending = planned.filter(({ row }) => state.value.sent[row.tenantId] === undefined);
  const skipped = planned.length - pending.length;
  if (pending.length === 0) {
    writeLine(io.stdout, `backfill: nothing to send, all ${planned.length} rows already sent (${statePath})`);
    return EXIT.ok;
  }
  // Fails here, before any send, when the state file cannot be written.
  await saveBackfillState(statePath, state.value);
  const { sent, failures } = await sendAll(pending, rate, { sqs: ctx.sqs(), queueUrl }, state, io);
  for (const { row, reason } of failures) {
    writeLine(io.stderr, errorLine(`line ${row.line} (${row.tenantId}): ${reason}`));
  }
  writeLine(
    io.stdout,
    `backfill: ${sent} sent, ${skipped} skipped (already sent), ${failures.length} failed, of ${planned.length} rows; state in ${statePath}`,
  );
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
    .option('--rate <n/s>', 'messages per second', '50')
    .option('--state <file>', 'state file recording rows already sent (default: <file>.backfill-state.json)');
  addQueueUrlOption(command).action((file: string, options: BackfillOptions) =>
    runtime.run(options, (ctx) => runBackfill(file, options, ctx, runtime.io)),
  );
};
