/** `tenants reconcile`: exit 0 when Twilio, the secrets and the ledger agree, 1 on drift, 2 on errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbLedger } from '../../../shared/ledger/dynamodb-ledger.ts';
import type { ReconcileReport } from '../../../shared/reconcile/run-reconcile.ts';
import {
  EXPECTED_DRIFT,
  LEDGER_ONLY_SID,
  MISSING_SID,
  seedConsistentTenants,
  seedEveryDriftKind,
  sidOf,
} from '../reconcile/seed-drift.ts';
import { type CliCloud, runTenants, runTenantsProcess, startCliCloud } from './support.ts';

let cli: CliCloud;
beforeAll(async () => {
  cli = await startCliCloud();
  await seedConsistentTenants(cli);
});
afterAll(() => cli?.stop());

const expectNoToken = (text: string) => {
  for (const secret of cli.cloud.twilio.issuedSecrets()) expect(text).not.toContain(secret);
};

describe('tenants reconcile', () => {
  it('exits 0 and says so when the lifecycle left everything consistent', async () => {
    const run = await runTenants(['reconcile'], cli.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'no drift: 4 subaccount(s), 3 tenant secret(s) and 3 ledger item(s) checked, 1 subaccount(s) not ours ignored\n',
    );
  });

  it('exits 0 from the real executable too', async () => {
    expect((await runTenantsProcess(['reconcile'], cli.env)).code).toBe(0);
  });

  describe('with one case of every drift kind', () => {
    beforeAll(() => seedEveryDriftKind(cli));

    it('reports each finding and exits 1', async () => {
      const run = await runTenants(['reconcile', '--json'], cli.env);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as ReconcileReport;
      expect(report.findings.map((f) => [f.kind, f.tenantId])).toEqual(EXPECTED_DRIFT);
      expect(report.findings.map((f) => f.accountSid)).toEqual([
        sidOf(cli, 'tenant:orphan'),
        sidOf(cli, 'tenant:closed-live'),
        MISSING_SID,
        sidOf(cli, 'tenant:acme'),
        sidOf(cli, 'Globex (renamed)'),
        sidOf(cli, 'tenant:closed-live'),
        MISSING_SID,
        sidOf(cli, 'tenant:acme'),
        LEDGER_ONLY_SID,
      ]);
      expect(report.ignoredSubaccounts).toBe(1);
      expectNoToken(run.stdout);
    });

    it('prints a table of the findings', async () => {
      const run = await runTenants(['reconcile'], cli.env);
      expect(run.code).toBe(1);
      const lines = run.stdout.trim().split('\n');
      expect(lines[0]?.split(/\s{2,}/)).toEqual(['KIND', 'TENANT', 'SUBACCOUNT', 'DETAIL']);
      expect(lines.slice(1, 10).map((line) => line.split(/\s{2,}/).slice(0, 2))).toEqual(EXPECTED_DRIFT);
      expect(lines.at(-1)).toMatch(/^9 drift finding\(s\): /);
      expect(run.stdout).toContain('ledger lifecycle is "active" but Twilio status is "suspended"');
      expect(run.stdout).toContain('secret lifecycle tag is "active" but Twilio status is "suspended"');
    });

    it('exits 1 from the real executable', async () => {
      const run = await runTenantsProcess(['reconcile'], cli.env);
      expect(run.code).toBe(1);
      expectNoToken(run.stdout + run.stderr);
    });

    it('--repair rebuilds missing ledger items from the secret and Twilio, and deletes nothing', async () => {
      const before = cli.cloud.twilio.accounts().length;
      const run = await runTenants(['reconcile', '--repair', '--json'], cli.env);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as ReconcileReport;
      expect(report.repaired).toEqual(['closed-live', 'vanished']);
      expect(report.findings.map((f) => f.kind)).not.toContain('ledger-missing');
      expect(report.findings.map((f) => f.kind)).toContain('subaccount-without-secret');
      expect(cli.cloud.twilio.accounts()).toHaveLength(before);
      const ledger = createDynamoDbLedger({
        client: cli.cloud.dynamodb.client,
        tableName: cli.cloud.dynamodb.tableName,
      });
      // Twilio's status wins over the tag: closed-live is closed on Twilio.
      expect((await ledger.read('closed-live'))?.state).toMatchObject({
        lifecycle: 'closed',
        accountSid: sidOf(cli, 'tenant:closed-live'),
        watermark: '2026-11-01T00:00:00.000000000Z',
        appliedAtWatermark: ['evt-hand-made'],
        secretRetired: false,
      });
      const again = JSON.parse((await runTenants(['reconcile', '--repair', '--json'], cli.env)).stdout);
      expect(again.repaired).toEqual([]);
    });
  });

  it.each([
    [['reconcile', '--parent-secret', 'missing-secret'], {}, /GetSecretValue on "missing-secret" failed/],
    [
      ['reconcile'],
      { PARENT_CREDENTIALS_SECRET: undefined },
      /--parent-secret \(PARENT_CREDENTIALS_SECRET\): is required/,
    ],
    [
      ['reconcile'],
      { TWILIO_API_BASE_URL: 'http://twilio.example.com' },
      /TWILIO_API_BASE_URL: must be an https URL/,
    ],
    [
      ['reconcile'],
      { FRIENDLY_NAME_TEMPLATE: 'no-placeholder' },
      /FRIENDLY_NAME_TEMPLATE: must contain \{tenantId\} exactly once/,
    ],
    [['reconcile', 'extra'], {}, /too many arguments/],
  ])('exits 2 on %j with one line', async (argv, env, message) => {
    const run = await runTenants(argv, { ...cli.env, ...env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^tenants: [^\n]+\n$/);
  });
});
