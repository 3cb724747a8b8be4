/** Reads a JSON Lines event file: one message body per line; blank lines are skipped. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type EventLine, toEventLine } from '../expectations.ts';
import { EventsFileError } from './errors.ts';

export const SAMPLE_EVENTS_FILE = fileURLToPath(new URL('../../examples/events.jsonl', import.meta.url));

export const parseEventLines = (text: string): EventLine[] =>
  text
    .split(/\r?\n/)
    .map((raw, index) => ({ raw, lineNumber: index + 1 }))
    .filter(({ raw }) => raw.trim() !== '')
    .map(({ raw, lineNumber }) => toEventLine(raw, lineNumber));

export const readEventFile = async (path: string): Promise<EventLine[]> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'error';
    throw new EventsFileError(path, code === 'ENOENT' ? 'no such file' : `unreadable (${code})`);
  }
  const lines = parseEventLines(text);
  if (lines.length === 0) throw new EventsFileError(path, 'it holds no lines to send');
  return lines;
};
