/**
 * Reads the customers to backfill from a CSV file (a header row naming `tenantId` and, optionally,
 * `tenantName` or `name`) or a JSONL file (one `{ "tenantId", "tenantName"? }` object per line).
 * The whole file is checked before anything is sent: one bad line and nothing goes out.
 */
import { extname } from 'node:path';
import { TENANT_ID_PATTERN } from '../../shared/domain/event.ts';
import { CliInputError } from '../errors.ts';
import { parseCsvLine } from './csv.ts';

export interface BackfillRow {
  /** 1-based line number in the file, for reports. */
  readonly line: number;
  readonly tenantId: string;
  readonly tenantName?: string;
}

interface LineProblem {
  readonly line: number;
  readonly problem: string;
}

type RowOrProblem = { row: BackfillRow } | LineProblem;

const TENANT_NAME_MAX = 256;
/** Enough to fix a file in one go without flooding the terminal. */
const LISTED_PROBLEMS = 10;

const checkRow = (line: number, tenantId: unknown, tenantName: unknown): RowOrProblem => {
  if (typeof tenantId !== 'string' || tenantId === '') return { line, problem: 'tenantId is missing' };
  if (!TENANT_ID_PATTERN.test(tenantId)) {
    return { line, problem: `tenantId "${tenantId}" must be 1..48 letters, digits, ".", "_" or "-"` };
  }
  if (tenantName !== undefined && typeof tenantName !== 'string') {
    return { line, problem: 'tenantName must be a string' };
  }
  if (tenantName !== undefined && tenantName.length > TENANT_NAME_MAX) {
    return { line, problem: `tenantName is longer than ${TENANT_NAME_MAX} characters` };
  }
  return { row: { line, tenantId, ...(tenantName ? { tenantName } : {}) } };
};

const numberedLines = (text: string): { line: number; text: string }[] =>
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((content, index) => ({ line: index + 1, text: content }))
    .filter((entry) => entry.text.trim() !== '');

const csvRows = (text: string): RowOrProblem[] => {
  const [header, ...records] = numberedLines(text);
  if (header === undefined) return [];
  const parsedHeader = parseCsvLine(header.text);
  if ('problem' in parsedHeader) return [{ line: header.line, problem: parsedHeader.problem }];
  const columns = parsedHeader.fields.map((name) => name.trim());
  const idColumn = columns.indexOf('tenantId');
  if (idColumn < 0) return [{ line: header.line, problem: 'the header row has no "tenantId" column' }];
  const nameColumn = columns.includes('tenantName') ? columns.indexOf('tenantName') : columns.indexOf('name');
  return records.map(({ line, text: record }): RowOrProblem => {
    const parsed = parseCsvLine(record);
    if ('problem' in parsed) return { line, problem: parsed.problem };
    if (parsed.fields.length !== columns.length) {
      return { line, problem: `expected ${columns.length} fields, found ${parsed.fields.length}` };
    }
    const name = nameColumn < 0 ? undefined : parsed.fields[nameColumn]?.trim() || undefined;
    return checkRow(line, parsed.fields[idColumn]?.trim(), name);
  });
};

const jsonlRows = (text: string): RowOrProblem[] =>
  numberedLines(text).map(({ line, text: record }): RowOrProblem => {
    let value: unknown;
    try {
      value = JSON.parse(record);
    } catch {
      return { line, problem: 'not valid JSON' };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { line, problem: 'not a JSON object' };
    }
    const { tenantId, tenantName } = value as Record<string, unknown>;
    return checkRow(line, tenantId, tenantName === '' ? undefined : tenantName);
  });

const READERS: Readonly<Record<string, (text: string) => RowOrProblem[]>> = {
  '.csv': csvRows,
  '.jsonl': jsonlRows,
};

const duplicates = (rows: readonly BackfillRow[]): LineProblem[] => {
  const firstLine = new Map<string, number>();
  const problems: LineProblem[] = [];
  for (const row of rows) {
    const first = firstLine.get(row.tenantId);
    if (first === undefined) firstLine.set(row.tenantId, row.line);
    else problems.push({ line: row.line, problem: `tenantId "${row.tenantId}" repeats line ${first}` });
  }
  return problems;
};

const listProblems = (problems: readonly LineProblem[]): string => {
  const listed = problems.slice(0, LISTED_PROBLEMS).map((p) => `line ${p.line}: ${p.problem}`);
  const more = problems.length - LISTED_PROBLEMS;
  return `${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
};

/** Every row of the file, or a CliInputError naming every bad line. */
export const readBackfillRows = (path: string, text: string): BackfillRow[] => {
  const read = READERS[extname(path).toLowerCase()];
  if (read === undefined) throw new CliInputError(`${path}: unsupported file type, use .csv or .jsonl`);
  const results = read(text);
  const rows = results.flatMap((result) => ('row' in result ? [result.row] : []));
  const problems = [
    ...results.flatMap((result) => ('problem' in result ? [result] : [])),
    ...duplicates(rows),
  ].sort((a, b) => a.line - b.line);
  if (problems.length > 0) {
    throw new CliInputError(
      `${path}: ${problems.length} invalid line(s), nothing sent: ${listProblems(problems)}`,
    );
  }
  if (rows.length === 0) throw new CliInputError(`${path}: no customers to backfill`);
  return rows;
};
