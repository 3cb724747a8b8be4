import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { EmulatorDataFileError } from './errors.ts';
import type { SecretRecord } from './model.ts';

/**
 * State on disk for local runs that should survive a restart. The file holds secret values in
 * clear, like any local credentials file: it is written owner-only.
 */
const FORMAT_VERSION = 1;

const date = z.iso.datetime().transform((text) => new Date(text));

const versionSchema = z.object({
  versionId: z.string(),
  secretString: z.string().optional(),
  secretBinary: z.string().optional(),
  stages: z.array(z.string()),
  createdDate: date,
});

const secretSchema = z.object({
  arn: z.string(),
  name: z.string(),
  description: z.string().optional(),
  kmsKeyId: z.string().optional(),
  tags: z.array(z.object({ Key: z.string(), Value: z.string() })),
  versions: z.array(versionSchema),
  createdDate: date,
  lastChangedDate: date,
  lastAccessedDate: date.optional(),
  deletedDate: date.optional(),
  deletionDate: date.optional(),
});

const fileSchema = z.object({ formatVersion: z.literal(FORMAT_VERSION), secrets: z.array(secretSchema) });

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException)?.code === 'ENOENT';

/** An absent file is an empty emulator; an unreadable one stops the start, rather than being overwritten. */
export const loadSecrets = async (file: string): Promise<SecretRecord[]> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return [];
    throw new EmulatorDataFileError(file, error);
  }
  try {
    return fileSchema.parse(JSON.parse(text)).secrets;
  } catch (error) {
    throw new EmulatorDataFileError(file, error);
  }
};

/**
 * Writes whole snapshots one at a time, each to a temporary file renamed over the target, so a
 * crash mid-write never leaves a torn file behind.
 */
export class SnapshotWriter {
  #queue: Promise<void> = Promise.resolve();
  #sequence = 0;

  constructor(private readonly file: string) {}

  write(secrets: readonly SecretRecord[]): Promise<void> {
    const text = `${JSON.stringify({ formatVersion: FORMAT_VERSION, secrets }, null, 2)}\n`;
    this.#sequence += 1;
    const temporary = `${this.file}.${process.pid}.${this.#sequence}.tmp`;
    const written = this.#queue.then(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFile(temporary, text, { mode: 0o600 });
      await rename(temporary, this.file);
    });
    this.#queue = written.catch(() => undefined);
    return written;
  }

  /** Resolves once every write asked for so far has finished. */
  flushed(): Promise<void> {
    return this.#queue;
  }
}
