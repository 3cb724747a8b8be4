/**
 * The final table: as JSON (`--report-json`) and as text for the terminal, with the outcome
 * events each tenant's events caused. Never holds a token or a key secret.
 */
import type { ObservedTenant } from './observe.ts';
import type { PublishedOutcome } from './target.ts';

/** One outcome event: its detail-type and the eventId of the input that caused it. */
export interface OutcomeRef {
  readonly type: string;
  readonly eventId: string;
}

export interface ReportEntry {
  readonly tenantId: string | null;
  readonly accountSid: string | null;
  /** The Twilio status of the tenant's current subaccount. */
  readonly status: string | null;
  readonly secretStored: boolean;
  /** The stored credentials (auth token, API key, or both) work; `null` without a live secret. */
  readonly tokenValid: boolean | null;
  /** The `reason` attribute of each of the tenant's dead-lettered messages. */
  readonly deadLetter: string[] | null;
  /**
   * The outcome events published for the tenant, in the order the bus received them, each once;
   * `null` when they could not be read (--real).
   */
  readonly outcomes: OutcomeRef[] | null;
}

/** Each (type, eventId) once, as consumers deduplicate (docs/outcomes.md), in arrival order. */
const distinct = (outcomes: readonly PublishedOutcome[]): OutcomeRef[] => {
  const seen = new Set<string>();
  const refs: OutcomeRef[] = [];
  for (const outcome of outcomes) {
    const key = `${outcome.type}\n${outcome.causingEventId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    refs.push({ type: outcome.type, eventId: outcome.causingEventId });
  }
  return refs;
};

/**
 * The outcomes of one row: a tenant's by `detail.tenantId`; those of a message whose tenant
 * cannot be read, by the causingEventId its rejection carries.
 */
export const outcomesOf = (
  row: ObservedTenant,
  outcomes: readonly PublishedOutcome[] | undefined,
): OutcomeRef[] | null => {
  if (outcomes === undefined) return null;
  if (row.tenantId !== null) return distinct(outcomes.filter((outcome) => outcome.tenantId === row.tenantId));
  const causes = new Set(row.deadLetters.flatMap((entry) => entry.causingEventIds));
  return distinct(
    outcomes.filter((outcome) => outcome.tenantId === undefined && causes.has(outcome.causingEventId)),
  );
};

export const toReportEntries = (
  rows: readonly ObservedTenant[],
  outcomes?: readonly PublishedOutcome[],
): ReportEntry[] =>
  rows.map((row) => ({
    tenantId: row.tenantId,
    accountSid: row.accountSid,
    status: row.status,
    secretStored: row.secretStored,
    tokenValid: row.tokenValid,
    deadLetter: row.deadLetters.length === 0 ? null : row.deadLetters.map((entry) => entry.reason),
    outcomes: outcomesOf(row, outcomes),
  }));

const secretCell = (row: ObservedTenant): string => {
  if (!row.secretStored) return 'none';
  return row.tokenValid === true ? 'stored, credentials valid' : 'stored, CREDENTIALS INVALID';
};

const deadLetterCell = (row: ObservedTenant): string =>
  row.deadLetters.length === 0
    ? '-'
    : row.deadLetters.map((entry) => `${entry.errorCode ?? 'REDRIVEN'}: ${entry.reason}`).join(' | ');

/** Left-aligned columns, two spaces apart; the last one is not padded. */
const render = (header: readonly string[], cells: readonly (readonly string[])[]): string => {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column]?.length ?? 0)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((cell, column) => (column === values.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ');
  return [line(header), ...cells.map(line)].join('\n');
};

const HEADER = ['TENANT', 'SUBACCOUNT SID', 'TWILIO', 'SECRET', 'DEAD LETTER'];

export const formatTable = (rows: readonly ObservedTenant[]): string =>
  render(
    HEADER,
    rows.map((row) => [
      row.tenantId ?? '(unreadable)',
      row.accountSid ?? '-',
      row.status ?? '-',
      secretCell(row),
      deadLetterCell(row),
    ]),
  );

const OUTCOME_HEADER = ['TENANT', 'OUTCOME', 'CAUSED BY EVENT'];

/**
 * The outcome events per tenant, one line each (the tenant named on its first), in the order of
 * the table; a tenant with none shows `-`.
 */
export const formatOutcomes = (
  rows: readonly ObservedTenant[],
  outcomes: readonly PublishedOutcome[] | undefined,
  bus: string,
): string => {
  if (outcomes === undefined) {
    return `Outcome events go to the EventBridge bus "${bus}" of the deployment; they are not read here.`;
  }
  const cells = rows.flatMap((row) => {
    const tenant = row.tenantId ?? '(unreadable)';
    const refs = outcomesOf(row, outcomes) ?? [];
    if (refs.length === 0) return [[tenant, '-', '-']];
    return refs.map((ref, index) => [index === 0 ? tenant : '', ref.type, ref.eventId]);
  });
  return [`Outcome events published to the EventBridge bus "${bus}":`, render(OUTCOME_HEADER, cells)].join(
    '\n',
  );
};
