/**
 * The backfill state: which rows SQS accepted, so a rerun after a crash, a failed chunk or Ctrl-C
 * sends only the rest.
 *
 * Two files. The state file (`<file>.backfill-state.json`, version 1) is the snapshot, written
 * atomically (temporary file + rename) at the start and at the end of a run, however it ends.
 * During the run every accepted chunk is appended to a journal next to it (`<state>.journal`, one
 * JSON line per row) before the next chunk goes out, so the cost of recording stays the same for
 * row 10,000 as for row 1 (rewriting the whole snapshot after every chunk grew with the file). A
 * run that is killed leaves the snapshot and the journal; loading reads both, so nothing the
 * journal holds is sent again. A torn last journal line (the kill landed mid-append) is dropped:
 * that row was accepted by SQS but not recorded, and SQS drops its repeat within its five-minute
 * deduplication window (its MessageDeduplicationId is `backfill-<tenantId>`), the function after.
 */
import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { CliFileError, CliInputError } from '../errors.ts';

const sentRowSchema = z.object({
  line: z.number(),
  eventId: z.string(),
  messageId: z.string(),
  sentAt: z.string(),
});

const stateSchema = z.object({
  version: z.literal(1),
  source: z.string(),
  sent: z.record(z.string(), sentRowSchema),
});

const journalLineSchema = sentRowSchema.extend({ tenantId: z.string() });

export type BackfillState = z.infer<typeof stateSchema>;
export type SentRow = BackfillState['sent'][string];

export const stateFileFor = (sourcePath: string): string => `${sourcePath}.backfill-state.json`;
export const journalFileFor = (statePath: string): string => `${statePath}.journal`;

const isMissing = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';

const readIfPresent = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new CliFileError('read', path, error);
  }
};

const parseSnapshot = (statePath: string, text: string): BackfillState => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliInputError(`${statePath} is not a backfill state file (not JSON)`);
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) throw new CliInputError(`${statePath} is not a backfill state file`);
  return parsed.data;
};

/** Journal rows in order; only the very last line may be torn (a kill mid-append). */
const parseJournal = (journalPath: string, text: string): Array<z.infer<typeof journalLineSchema>> => {
  const lines = text.split('\n');
  const rows: Array<z.infer<typeof journalLineSchema>> = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: ReturnType<typeof journalLineSchema.safeParse> | undefined;
    try {
      parsed = journalLineSchema.safeParse(JSON.parse(line));
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) {
      rows.push(parsed.data);
      return;
    }
    const isLast = lines.slice(index + 1).every((rest) => rest.trim() === '');
    if (!isLast) throw new CliInputError(`${journalPath}: line ${index + 1} is not a backfill journal entry`);
  });
  return rows;
};

/** The snapshot with the journal of an unfinished run applied. */
export const loadBackfillState = async (statePath: string, sourcePath: string): Promise<BackfillState> => {
  const snapshot = await readIfPresent(statePath);
  const state: BackfillState =
    snapshot === undefined
      ? { version: 1, source: sourcePath, sent: {} }
      : parseSnapshot(statePath, snapshot);
  const journalPath = journalFileFor(statePath);
  const journal = await readIfPresent(journalPath);
  if (journal !== undefined) {
    for (const { tenantId, ...row } of parseJournal(journalPath, journal)) state.sent[tenantId] = row;
  }
  return state;
};

export const saveBackfillState = async (statePath: string, state: BackfillState): Promise<void> => {
  const temporary = `${statePath}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
    await rename(temporary, statePath);
  } catch (error) {
    throw new CliFileError('write', statePath, error);
  }
};

/** Records rows SQS accepted: in memory and, before this resolves, in the journal. */
export const recordSent = async (
  statePath: string,
  state: BackfillState,
  rows: ReadonlyArray<SentRow & { readonly tenantId: string }>,
): Promise<void> => {
  if (rows.length === 0) return;
  for (const { tenantId, ...row } of rows) state.sent[tenantId] = row;
  const journalPath = journalFileFor(statePath);
  try {
    await appendFile(journalPath, rows.map((row) => `${JSON.stringify(row)}\n`).join(''), 'utf8');
  } catch (error) {
    throw new CliFileError('write', journalPath, error);
  }
};

/** Folds the journal into the snapshot: the snapshot first, then the journal goes. */
export const compactBackfillState = async (statePath: string, state: BackfillState): Promise<void> => {
  await saveBackfillState(statePath, state);
  await rm(journalFileFor(statePath), { force: true });
};
