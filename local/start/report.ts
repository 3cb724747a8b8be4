/** The final table: as JSON (`--report-json`) and as text for the terminal. Never holds a token. */
import type { ObservedTenant } from './observe.ts';

export interface ReportEntry {
  readonly tenantId: string | null;
  readonly accountSid: string | null;
  /** The Twilio status of the tenant's current subaccount. */
  readonly status: string | null;
  readonly secretStored: boolean;
  readonly tokenValid: boolean | null;
  /** The `reason` attribute of each of the tenant's dead-lettered messages. */
  readonly deadLetter: string[] | null;
}

export const toReportEntries = (rows: readonly ObservedTenant[]): ReportEntry[] =>
  rows.map((row) => ({
    tenantId: row.tenantId,
    accountSid: row.accountSid,
    status: row.status,
    secretStored: row.secretStored,
    tokenValid: row.tokenValid,
    deadLetter: row.deadLetters.length === 0 ? null : row.deadLetters.map((entry) => entry.reason),
  }));

const secretCell = (row: ObservedTenant): string => {
  if (!row.secretStored) return 'none';
  return row.tokenValid === true ? 'stored, token valid' : 'stored, TOKEN INVALID';
};

const deadLetterCell = (row: ObservedTenant): string =>
  row.deadLetters.length === 0
    ? '-'
    : row.deadLetters.map((entry) => `${entry.errorCode ?? 'REDRIVEN'}: ${entry.reason}`).join(' | ');

const HEADER = ['TENANT', 'SUBACCOUNT SID', 'TWILIO', 'SECRET', 'DEAD LETTER'];

export const formatTable = (rows: readonly ObservedTenant[]): string => {
  const cells = rows.map((row) => [
    row.tenantId ?? '(unreadable)',
    row.accountSid ?? '-',
    row.status ?? '-',
    secretCell(row),
    deadLetterCell(row),
  ]);
  const widths = HEADER.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column]?.length ?? 0)),
  );
  const render = (line: readonly string[]) =>
    line
      .map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ');
  return [render(HEADER), ...cells.map(render)].join('\n');
};
