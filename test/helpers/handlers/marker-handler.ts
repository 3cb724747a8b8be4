import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * A handler module for isolated (worker) execution tests. It leaves marker files in
 * MARKER_DIR so the test can see, from outside the thread, what ran and what never did.
 *
 * Record bodies are JSON commands:
 * - `{ "action": "ok" }` writes `done-<messageId>-<receiveCount>`;
 * - `{ "action": "hang-first", "sideEffectAfterMs": n }` on its first delivery writes
 *   `started-<messageId>` then, n ms later, `late-<messageId>` (which must never appear when the
 *   invocation timed out first); later deliveries behave like "ok";
 * - `{ "action": "throw" }` throws a TypeError.
 */
const markerDir = (): string => {
  const dir = process.env.MARKER_DIR;
  if (dir === undefined) throw new Error('MARKER_DIR is not set');
  return dir;
};

const mark = (name: string, content = ''): void => writeFileSync(join(markerDir(), name), content);

// One marker per module evaluation = one per cold start of an execution environment.
mkdirSync(markerDir(), { recursive: true });
mark(`init-${randomUUID()}`, process.env.MARKER_LABEL ?? '');

interface Command {
  action: 'ok' | 'hang-first' | 'throw';
  sideEffectAfterMs?: number;
}

const handleRecord = async (record: SQSRecord, context: Context): Promise<void> => {
  const command = JSON.parse(record.body) as Command;
  const receiveCount = record.attributes.ApproximateReceiveCount;
  if (command.action === 'throw') throw new TypeError(`refusing ${record.messageId}`);
  if (command.action === 'hang-first' && receiveCount === '1') {
    mark(`started-${record.messageId}`, String(context.getRemainingTimeInMillis()));
    await sleep(command.sideEffectAfterMs ?? 1_000);
    mark(`late-${record.messageId}`);
    return;
  }
  mark(`done-${record.messageId}-${receiveCount}`, context.functionName);
};

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  for (const record of event.Records) await handleRecord(record, context);
  return { batchItemFailures: [] };
};
