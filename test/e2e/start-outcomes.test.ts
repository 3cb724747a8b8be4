import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEventLines, SAMPLE_EVENTS_FILE } from '../../local/start/events-file.ts';
import { npmStart, npmStartOnce, RUN_TIMEOUT_MS, type Run } from './support/npm-start.ts';

interface Outcome {
  type: string;
  eventId: string;
}

interface ReportEntry {
  tenantId: string | null;
  status: string | null;
  deadLetter: string[] | null;
  outcomes: Outcome[] | null;
}

describe('npm start -- --once --report-json: outcome events per tenant', () => {
  let dir: string;
  let run: Run;
  let report: ReportEntry[];
  const outcomesOf = (tenantId: string | null) =>
    report.filter((row) => row.tenantId === tenantId).flatMap((row) => row.outcomes ?? []);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'npm-start-outcomes-'));
    ({ run, report } = await npmStartOnce<ReportEntry>(dir, []));
  }, RUN_TIMEOUT_MS);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 as before', () => {
    expect(run.stderr).toContain('every tenant reached the state its');
    expect(run.code).toBe(0);
  });

  it("carries each tenant's outcomes as { type, eventId }, eventId being the causing event's", () => {
    expect(outcomesOf('acme')).toEqual([{ type: 'tenant.provisioned', eventId: 'evt-0001-acme-created' }]);
    expect(outcomesOf('globex-7')).toEqual([
      { type: 'tenant.provisioned', eventId: 'evt-0002-globex-7-created' },
      { type: 'tenant.suspended', eventId: 'evt-0027-globex-7-delinquent' },
    ]);
    // The returning customer: closed, then a fresh subaccount.
    expect(outcomesOf('soylent')).toEqual([
      { type: 'tenant.provisioned', eventId: 'evt-0006-soylent-created' },
      { type: 'tenant.closed', eventId: 'evt-0031-soylent-churned' },
      { type: 'tenant.provisioned', eventId: 'evt-0055-soylent-created' },
    ]);
    // The illegal transition and the unknown tenant are rejected, and say so.
    expect(outcomesOf('wayne-ent').at(-1)).toEqual({
      type: 'tenant.event-rejected',
      eventId: 'evt-0046-wayne-ent-reinstated',
    });
    expect(outcomesOf('cyberdyne')).toEqual([
      { type: 'tenant.event-rejected', eventId: 'evt-0009-cyberdyne-delinquent' },
    ]);
    // The duplicate delivery and the stale event publish nothing new.
    expect(outcomesOf('stark-industries')).toHaveLength(1);
    expect(outcomesOf('hooli').map((outcome) => outcome.type)).toEqual([
      'tenant.provisioned',
      'tenant.suspended',
      'tenant.reactivated',
    ]);
  });

  it('names every outcome after an eventId of the file, or the SQS message of an unreadable line', () => {
    const eventIds = new Set(
      parseEventLines(readFileSync(SAMPLE_EVENTS_FILE, 'utf8')).flatMap((line) =>
        line.kind === 'event' ? [line.event.eventId] : [],
      ),
    );
    for (const row of report) {
      expect(row.outcomes, String(row.tenantId)).not.toBeNull();
      for (const outcome of row.outcomes ?? []) {
        if (!eventIds.has(outcome.eventId)) expect(outcome.eventId).toMatch(/^sqs-message:/);
      }
    }
    // A message whose tenant cannot be read: its rejection, matched by its SQS message.
    for (const row of report.filter((candidate) => candidate.tenantId === null)) {
      expect(row.outcomes).toEqual([
        { type: 'tenant.event-rejected', eventId: expect.stringMatching(/^sqs-message:/) },
      ]);
    }
  });

  it('prints the outcomes below the table', () => {
    expect(run.stdout).toContain('Outcome events published to the EventBridge bus "default":');
    expect(run.stdout).toMatch(/^TENANT\s+OUTCOME\s+CAUSED BY EVENT$/m);
    expect(run.stdout).toMatch(/^acme\s+tenant\.provisioned\s+evt-0001-acme-created$/m);
    expect(run.stdout).toMatch(
      /^globex-7\s+tenant\.provisioned\s+evt-0002-globex-7-created\n\s+tenant\.suspended\s+evt-0027-globex-7-delinquent$/m,
    );
  });
});

describe('npm start: the grace-period and credentials flags refuse bad values with one line, exit 2', () => {
  it.each([
    [['--churn-grace', '90'], /--churn-grace: "90" is not a duration such as 90s, 2m/],
    [['--churn-grace', 'soon'], /--churn-grace: "soon" is not a duration/],
    [['--churn-grace', '91d'], /--churn-grace: must be at most 90 days/],
    [['--tenant-credentials', 'token'], /--tenant-credentials: must be one of auth-token, api-key, both/],
    [['--real', '--churn-grace', '90s'], /--churn-grace: is for the local run/],
    [['--real', '--tenant-credentials', 'api-key'], /--tenant-credentials: is for the local run/],
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
