import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Expectations, expectTenantStates } from '../../local/expectations.ts';
import { parseEventLines } from '../../local/start/events-file.ts';
import { npmStartOnce, RUN_TIMEOUT_MS, type Run } from './support/npm-start.ts';

interface ReportEntry {
  tenantId: string | null;
  accountSid: string | null;
  status: string | null;
  secretStored: boolean;
  tokenValid: boolean | null;
  deadLetter: string[] | null;
}

const event = (fields: Record<string, unknown>) => JSON.stringify({ version: 1, ...fields });

/** acme: created, three poison messages, then delinquent. globex: a poison message and reinstated after churn. */
const WORKLOAD = [
  event({ type: 'tenant.created', tenantId: 'acme', eventId: 'acme-1', occurredAt: '2026-01-01T00:00:00Z' }),
  event({ type: 'tenant.delinquent', tenantId: 'acme', eventId: 'acme-p1', occurredAt: 'yesterday' }),
  event({ type: 'tenant.paused', tenantId: 'acme', eventId: 'acme-p2', occurredAt: '2026-01-02T00:00:00Z' }),
  event({
    type: 'tenant.created',
    tenantId: 'globex',
    eventId: 'globex-1',
    occurredAt: '2026-01-01T00:00:00Z',
  }),
  JSON.stringify({
    type: 'tenant.delinquent',
    tenantId: 'acme',
    eventId: 'acme-p3',
    occurredAt: '2026-01-03T00:00:00Z',
    version: 2,
  }),
  event({
    type: 'tenant.churned',
    tenantId: 'globex',
    eventId: 'globex-2',
    occurredAt: '2026-01-02T00:00:00Z',
  }),
  event({ type: 'tenant.created', tenantId: 'globex' }),
  event({
    type: 'tenant.reinstated',
    tenantId: 'globex',
    eventId: 'globex-3',
    occurredAt: '2026-01-03T00:00:00Z',
  }),
  event({
    type: 'tenant.delinquent',
    tenantId: 'acme',
    eventId: 'acme-2',
    occurredAt: '2026-01-04T00:00:00Z',
  }),
];

interface EmulatorDump {
  issuedAuthTokens: string[];
}

describe('npm start -- --once with poison messages', () => {
  let dir: string;
  let run: Run;
  let report: ReportEntry[];
  let dump: EmulatorDump;
  let expected: Expectations;
  const entry = (tenantId: string | null) => report.find((row) => row.tenantId === tenantId);
  const expectedReasons = (tenantId: string) =>
    expected.deadLetters.filter((letter) => letter.tenantId === tenantId).map((letter) => letter.reason);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'npm-start-poison-'));
    const eventsFile = join(dir, 'poison.jsonl');
    writeFileSync(eventsFile, `${WORKLOAD.join('\n')}\n`);
    expected = expectTenantStates(parseEventLines(readFileSync(eventsFile, 'utf8')));
    ({ run, report, dump } = await npmStartOnce<ReportEntry, EmulatorDump>(dir, ['--events', eventsFile], {
      dump: true,
    }));
  }, RUN_TIMEOUT_MS);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the workload it claims to be: three poison messages for one tenant, a poison and an illegal transition for another', () => {
    expect(expected.deadLetters.map((letter) => [letter.tenantId, letter.errorCode])).toEqual([
      ['acme', 'EVENT_SCHEMA_VIOLATION'],
      ['acme', 'EVENT_SCHEMA_VIOLATION'],
      ['acme', 'EVENT_SCHEMA_VIOLATION'],
      ['globex', 'EVENT_SCHEMA_VIOLATION'],
      ['globex', 'ILLEGAL_TRANSITION'],
    ]);
  });

  it('exits 0: the state, every dead letter included, is the one the events imply', () => {
    expect(run.stderr).not.toContain('MISMATCH');
    expect(run.stderr).toContain(`every tenant reached the state its ${WORKLOAD.length} lines imply`);
    expect(run.stderr).not.toMatch(/could not be read without consuming them/);
    expect(run.code).toBe(0);
  });

  it("reports each of a tenant's three dead letters with its reason, in the order they failed", () => {
    const reasons = entry('acme')?.deadLetter ?? [];
    expect(reasons).toEqual(expectedReasons('acme'));
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toMatch(/occurredAt/);
    expect(reasons[1]).toMatch(/type/);
    expect(reasons[2]).toMatch(/version/);
    // The poison messages changed nothing: acme went on to the delinquent that followed them.
    expect(entry('acme')).toMatchObject({ status: 'suspended', secretStored: true, tokenValid: true });
  });

  it('reports the poison message and the illegal transition of the other tenant', () => {
    expect(entry('globex')?.deadLetter).toEqual(expectedReasons('globex'));
    expect(entry('globex')?.deadLetter).toEqual([
      expect.stringMatching(/eventId|occurredAt/),
      'closed subaccounts cannot be reopened',
    ]);
    expect(entry('globex')).toMatchObject({ status: 'closed', secretStored: false, tokenValid: null });
    expect(report.filter((row) => row.tenantId === null)).toEqual([]);
  });

  it('prints every dead letter in the table, counts it in the progress, and never prints a token', () => {
    const table = run.stdout.split('\n');
    const acmeRow = table.find((line) => line.startsWith('acme '));
    expect(acmeRow?.match(/EVENT_SCHEMA_VIOLATION: /g)).toHaveLength(3);
    const globexRow = table.find((line) => line.startsWith('globex '));
    expect(globexRow).toContain('ILLEGAL_TRANSITION: closed subaccounts cannot be reopened');
    expect(globexRow).toContain('EVENT_SCHEMA_VIOLATION: ');
    expect(run.stderr).toMatch(/dead-lettered 5\b/);
    const printed = `${run.stdout}\n${run.stderr}\n${JSON.stringify(report)}`;
    expect(dump.issuedAuthTokens.length).toBeGreaterThan(0);
    for (const token of dump.issuedAuthTokens) expect(printed.includes(token)).toBe(false);
  });
});
