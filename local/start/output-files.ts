/** Files the run writes on request: the JSON report and, locally, the emulator dump for tests. */
import { constants } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { TwilioEmulator } from '../twilio-emulator/index.ts';
import { StartOptionError } from './errors.ts';
import type { ReportEntry } from './report.ts';

/** Checked before anything starts, so a typo costs no replay. */
export const assertWritableLocation = async (flag: string, path: string | undefined): Promise<void> => {
  if (path === undefined) return;
  const directory = dirname(resolve(path));
  try {
    await access(directory, constants.W_OK);
  } catch {
    throw new StartOptionError(flag, `cannot write to ${directory}`);
  }
};

export const writeReportJson = (path: string, entries: readonly ReportEntry[]): Promise<void> =>
  writeFile(path, `${JSON.stringify(entries, null, 2)}\n`);

/**
 * Every account the emulator holds and every token and API key secret it ever issued, so a test
 * can prove none of them reached the terminal. Emulator credentials only, and only when asked
 * for; owner-only file.
 */
export const writeEmulatorDump = (path: string, emulator: TwilioEmulator): Promise<void> =>
  writeFile(
    path,
    `${JSON.stringify(
      {
        accounts: emulator.accounts(),
        issuedAuthTokens: emulator.issuedAuthTokens(),
        // The auth tokens and the secret of every API key the emulator issued.
        issuedSecrets: emulator.issuedSecrets(),
      },
      null,
      2,
    )}\n`,
    { mode: 0o600 },
  );
