import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmStartOnce, RUN_TIMEOUT_MS, type Run } from './support/npm-start.ts';

interface ReportEntry {
  tenantId: string | null;
  accountSid: string | null;
  status: string | null;
  secretStored: boolean;
  tokenValid: boolean | null;
  deadLetter: string[] | null;
  outcomes: Array<{ type: string; eventId: string }> | null;
}

interface EmulatorDump {
  accounts: Array<{ sid: string; friendly_name: string; status: string }>;
  issuedSecrets: string[];
}

/** Lines dated just before now, so the 3 s grace period ends while the run is waiting. */
const eventsFile = (dir: string, events: ReadonlyArray<[string, string]>): string => {
  const start = Date.now() - events.length * 10;
  const lines = events.map(([type, tenantId], index) =>
    JSON.stringify({
      type,
      tenantId,
      eventId: `evt-${tenantId}-${index}`,
      occurredAt: new Date(start + index * 10).toISOString(),
      version: 1,
    }),
  );
  const file = join(dir, 'events.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
};

describe('npm start -- --once --churn-grace 3s', () => {
  let dir: string;
  let run: Run;
  let report: ReportEntry[];
  let elapsedMs: number;
  const entry = (tenantId: string) => report.find((row) => row.tenantId === tenantId);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'npm-start-grace-'));
    const file = eventsFile(dir, [
      ['tenant.created', 'leaving'],
      ['tenant.churned', 'leaving'],
      ['tenant.created', 'staying'],
      ['tenant.churned', 'staying'],
      ['tenant.reinstated', 'staying'],
      ['tenant.created', 'steady'],
    ]);
    const started = Date.now();
    ({ run, report } = await npmStartOnce<ReportEntry>(dir, ['--churn-grace', '3s', '--events', file]));
    elapsedMs = Date.now() - started;
  }, RUN_TIMEOUT_MS);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0: the model, told the grace period, expects the close the sweep made', () => {
    expect(run.stderr).toContain('every tenant reached the state its 6 lines imply');
    expect(run.stderr).not.toContain('MISMATCH');
    expect(run.code).toBe(0);
  });

  it('closes the churned tenant once its grace period is over, through the sweep', () => {
    expect(entry('leaving')).toMatchObject({ status: 'closed', secretStored: false, tokenValid: null });
    expect(run.stderr).toContain('close sweep: waiting for a close due at');
    expect(run.stderr).toContain('close sweep: queued tenant.close-due for leaving');
    // It waited for the grace period, not for the 60 s timeout.
    expect(elapsedMs).toBeGreaterThan(3_000);
    expect(elapsedMs).toBeLessThan(60_000);
  });

  it("reports tenant.close-scheduled, then tenant.closed caused by the sweep's close-due event", () => {
    const outcomes = entry('leaving')?.outcomes ?? [];
    expect(outcomes.map((outcome) => outcome.type)).toEqual([
      'tenant.provisioned',
      'tenant.close-scheduled',
      'tenant.closed',
    ]);
    expect(outcomes[1]?.eventId).toBe('evt-leaving-1');
    expect(outcomes[2]?.eventId).toMatch(/^close-due:leaving:\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(run.stdout).toMatch(
      /^\s+tenant\.close-scheduled\s+evt-leaving-1\n\s+tenant\.closed\s+close-due:leaving:/m,
    );
  });

  it('keeps the tenant reinstated inside its window on the same subaccount, active', () => {
    expect(entry('staying')).toMatchObject({ status: 'active', secretStored: true, tokenValid: true });
    expect(entry('staying')?.outcomes?.map((outcome) => outcome.type)).toEqual([
      'tenant.provisioned',
      'tenant.close-scheduled',
      'tenant.reactivated',
    ]);
    expect(entry('steady')).toMatchObject({
      status: 'active',
      outcomes: [{ type: 'tenant.provisioned', eventId: 'evt-steady-5' }],
    });
  });
});

describe('npm start -- --once --tenant-credentials api-key', () => {
  let dir: string;
  let run: Run;
  let report: ReportEntry[];
  let dump: EmulatorDump;
  const entry = (tenantId: string) => report.find((row) => row.tenantId === tenantId);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'npm-start-keys-'));
    const file = eventsFile(dir, [
      ['tenant.created', 'keyed'],
      ['tenant.credentials-rotation-requested', 'keyed'],
      ['tenant.created', 'paused'],
      ['tenant.delinquent', 'paused'],
      ['tenant.created', 'gone'],
      ['tenant.churned', 'gone'],
    ]);
    ({ run, report, dump } = await npmStartOnce<ReportEntry, EmulatorDump>(
      dir,
      ['--tenant-credentials', 'api-key', '--events', file],
      { dump: true },
    ));
  }, RUN_TIMEOUT_MS);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("exits 0 with every stored key working, the suspended tenant's too", () => {
    expect(run.stderr).toContain('every tenant reached the state its 6 lines imply');
    expect(run.code).toBe(0);
    expect(entry('keyed')).toMatchObject({ status: 'active', secretStored: true, tokenValid: true });
    expect(entry('paused')).toMatchObject({ status: 'suspended', secretStored: true, tokenValid: true });
    expect(entry('gone')).toMatchObject({ status: 'closed', secretStored: false });
    expect(entry('keyed')?.outcomes?.map((outcome) => outcome.type)).toEqual([
      'tenant.provisioned',
      'tenant.credentials-rotated',
    ]);
  });

  it('never prints a key secret or a token', () => {
    const printed = `${run.stdout}\n${run.stderr}\n${JSON.stringify(report)}`;
    // The main token, the subaccounts' tokens, and both keys of "keyed" (the rotated one too).
    expect(dump.issuedSecrets.length).toBeGreaterThan(5);
    for (const secret of dump.issuedSecrets) expect(printed.includes(secret)).toBe(false);
  });
});
