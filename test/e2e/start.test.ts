import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTenantStates } from '../../local/expectations.ts';
import { parseEventLines, SAMPLE_EVENTS_FILE } from '../../local/start/events-file.ts';
import { npmStart, npmStartOnce, RUN_TIMEOUT_MS, type Run } from './support/npm-start.ts';

interface ReportEntry {
  tenantId: string | null;
  accountSid: string | null;
  status: string | null;
  secretStored: boolean;
  tokenValid: boolean | null;
  deadLetter: string[] | null;
}

interface EmulatorDump {
  accounts: Array<{ sid: string; friendly_name: string; status: string }>;
  issuedAuthTokens: string[];
}

describe('npm start -- --once (the bundled sample)', () => {
  let dir: string;
  let run: Run;
  let report: ReportEntry[];
  let dump: EmulatorDump;
  const entry = (tenantId: string | null) => report.find((row) => row.tenantId === tenantId);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
    ({ run, report, dump } = await npmStartOnce<ReportEntry, EmulatorDump>(dir, [], { dump: true }));
  }, RUN_TIMEOUT_MS);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0: every tenant reached the state its events imply', () => {
    expect(run.stderr).toContain('every tenant reached the state');
    expect(run.code).toBe(0);
  });

  it('reports every tenant with the status and secret its events imply', () => {
    const expected = expectTenantStates(parseEventLines(readFileSync(SAMPLE_EVENTS_FILE, 'utf8')));
    for (const tenant of expected.tenants) {
      const row = entry(tenant.tenantId);
      expect(row, tenant.tenantId).toMatchObject({
        status: tenant.status,
        secretStored: tenant.secretStored,
      });
      expect(row?.tokenValid, tenant.tenantId).toBe(tenant.secretStored ? true : null);
      expect(row?.deadLetter?.length ?? 0, tenant.tenantId).toBe(tenant.deadLetter?.length ?? 0);
      if (tenant.status !== null) expect(row?.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    }
    expect(report.filter((row) => row.tenantId !== null)).toHaveLength(expected.tenants.length);
  });

  it('matches the subaccounts the Twilio emulator holds', () => {
    for (const row of report.filter((candidate) => candidate.accountSid !== null)) {
      const account = dump.accounts.find((candidate) => candidate.sid === row.accountSid);
      expect(account?.friendly_name).toBe(`tenant:${row.tenantId}`);
      expect(account?.status).toBe(row.status);
    }
  });

  it('gives the returning customer a new, active subaccount', () => {
    const soylent = dump.accounts.filter((account) => account.friendly_name === 'tenant:soylent');
    expect(soylent.map((account) => account.status).sort()).toEqual(['active', 'closed']);
    const current = soylent.find((account) => account.status === 'active');
    expect(entry('soylent')).toMatchObject({ status: 'active', secretStored: true, tokenValid: true });
    expect(entry('soylent')?.accountSid).toBe(current?.sid);
  });

  it('dead-letters malformed lines with their reason, under their tenant when one is readable', () => {
    expect(entry('oscorp')?.deadLetter).toEqual([expect.stringContaining('occurredAt')]);
    const unattributed = report.filter((row) => row.tenantId === null).flatMap((row) => row.deadLetter ?? []);
    expect(unattributed).toEqual(
      expect.arrayContaining(['message body is not valid JSON', expect.stringContaining('tenantId')]),
    );
  });

  it('dead-letters the illegal transition and the events of unknown tenants', () => {
    expect(entry('wayne-ent')).toMatchObject({
      status: 'closed',
      deadLetter: ['closed subaccounts cannot be reopened'],
    });
    expect(entry('cyberdyne')).toMatchObject({ status: null, accountSid: null });
    expect(entry('cyberdyne')?.deadLetter?.[0]).toContain('has no subaccount');
  });

  it('applies the duplicate delivery once and ignores the out-of-order event', () => {
    expect(
      dump.accounts.filter((account) => account.friendly_name === 'tenant:stark-industries'),
    ).toHaveLength(1);
    expect(entry('hooli')).toMatchObject({ status: 'active', deadLetter: null });
  });

  it('prints the table and progress, and never a token', () => {
    expect(run.stdout).toMatch(/^TENANT\s+SUBACCOUNT SID/m);
    expect(run.stderr).toMatch(/published \d+, processed \d+, dead-lettered \d+/);
    const printed = `${run.stdout}\n${run.stderr}\n${JSON.stringify(report)}`;
    expect(dump.issuedAuthTokens.length).toBeGreaterThan(1);
    for (const token of dump.issuedAuthTokens) expect(printed.includes(token)).toBe(false);
    // Nothing token-shaped either: the only 32-hex-digit strings are the SIDs' digits.
    expect(printed.match(/(?<![0-9A-Za-z])[0-9a-fA-F]{32}(?![0-9A-Za-z])/g)).toBeNull();
  });
});

describe('npm start -- --once --events FILE', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'npm-start-events-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'exits 1 and prints the differences when a tenant does not reach the state its events imply',
    async () => {
      // SQS refuses U+FFFE in a message body, so "ghost" is never provisioned although its event
      // is valid; "solid" is.
      const file = join(dir, 'events.jsonl');
      const event = (tenantId: string, tenantName: string) =>
        JSON.stringify({
          type: 'tenant.created',
          tenantId,
          eventId: `evt-${tenantId}-1`,
          occurredAt: '2026-04-01T10:00:00+02:00',
          tenantName,
          version: 1,
        });
      writeFileSync(file, `${event('ghost', 'Ghost \uFFFE Inc')}\n${event('solid', 'Solid Inc')}\n`);
      const reportFile = join(dir, 'report.json');

      const run = await npmStart(['--once', '--events', file, '--report-json', reportFile]);

      expect(run.code).toBe(1);
      expect(run.stderr).toContain('MISMATCH ghost: status expected "active", got null');
      expect(run.stderr).not.toContain('MISMATCH solid');
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ReportEntry[];
      expect(report).toEqual([
        {
          tenantId: 'ghost',
          accountSid: null,
          status: null,
          secretStored: false,
          tokenValid: null,
          deadLetter: null,
          outcomes: [],
        },
        expect.objectContaining({
          tenantId: 'solid',
          status: 'active',
          secretStored: true,
          tokenValid: true,
        }),
      ]);
    },
    RUN_TIMEOUT_MS,
  );
});

describe('npm start: usage errors exit 2 with one line', () => {
  it.each([
    [['--no-such-flag'], /--no-such-flag/],
    [['--events'], /--events/],
    [['--events', '/nonexistent/events.jsonl'], /\/nonexistent\/events\.jsonl: no such file/],
    [['--once', '--report-json', '/nonexistent/dir/report.json'], /--report-json: cannot write/],
    [['--real', '--once'], /--real: AWS_REGION is required.*TENANT_EVENTS_QUEUE_URL is required/],
  ])(
    '%j',
    async (args, message) => {
      const run = await npmStart(args);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    },
    RUN_TIMEOUT_MS,
  );
});
