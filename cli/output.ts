/**
 * Output helpers: plain-text tables for people, JSON for scripts, and error lines that are one
 * line, without a stack, and never carry a credential.
 */
import { ConfigurationError } from '../shared/config/errors.ts';
import type { OutputStream } from './io.ts';

export const PROGRAM_NAME = 'tenants';

export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => string;
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export const formatTable = <Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string => {
  const cells = [
    columns.map((column) => column.header),
    ...rows.map((row) => columns.map((c) => c.value(row))),
  ];
  const widths = columns.map((_, index) => Math.max(...cells.map((line) => line[index]?.length ?? 0)));
  return cells
    .map((line) =>
      line
        .map((cell, index) => (index === line.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

export const writeLine = (stream: OutputStream, text = ''): void => {
  stream.write(`${text}\n`);
};

export const writeJson = (stream: OutputStream, value: unknown): void => {
  writeLine(stream, JSON.stringify(value, null, 2));
};

/**
 * A Twilio auth token (and an API key secret) is 32 hex digits standing alone; an Account SID
 * carries the same digits after "AC", so it is left readable. Defence in depth: no message of
 * ours holds a token, but a third-party error message might.
 */
const TOKEN_LIKE = /(?<![A-Za-z0-9])[0-9a-fA-F]{32}(?![0-9a-fA-F])/g;

export const redactTokens = (text: string): string => text.replace(TOKEN_LIKE, '[redacted]');

const messageOf = (error: unknown): string => {
  if (error instanceof ConfigurationError) return `invalid configuration: ${error.problems.join('; ')}`;
  if (error instanceof Error) return error.message || error.name;
  return String(error);
};

/** `tenants: <message>`, on one line. */
export const errorLine = (error: unknown): string =>
  `${PROGRAM_NAME}: ${redactTokens(messageOf(error))
    .replace(/\s*\n\s*/g, ' ')
    .trim()}`;
