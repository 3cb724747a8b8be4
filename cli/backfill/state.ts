/**
 * The backfill state file: which rows were accepted by SQS, so a rerun after a crash, a failed
 * chunk or Ctrl-C sends only the rest. Written after every chunk, atomically (temporary file +
 * rename), so an interrupted write never leaves half a file behind.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { CliFileError, CliInputError } from '../errors.ts';

const stateSchema = z.object({
  version: z.literal(1),
  source: z.string(),
  sent: z.record(
    z.string(),
    z.object({ line: z.number(), eventId: z.string(), messageId: z.string(), sentAt: z.string() }),
  ),
});

export type BackfillState = z.infer<typeof stateSchema>;
export type SentRow = BackfillState['sent'][string];

export const stateFileFor = (sourcePath: string): string => `${sourcePath}.backfill-state.json`;

const isMissing = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';

export const loadBackfillState = async (statePath: string, sourcePath: string): Promise<BackfillState> => {
  let text: string;
  try {
    text = await readFile(statePath, 'utf8');
  } catch (error) {
    if (isMissing(error)) return { version: 1, source: sourcePath, sent: {} };
    throw new CliFileError('read', statePath, error);
  }
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

export const saveBackfillState = async (statePath: string, state: BackfillState): Promise<void> => {
  const temporary = `${statePath}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
    await rename(temporary, statePath);
  } catch (error) {
    throw new CliFileError('write', statePath, error);
  }
};
