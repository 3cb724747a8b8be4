/**
 * `tenants status` with the tenant ledger: the lifecycle and watermark it records, "closing on
 * <date>" inside a grace period, the API key's SID (never its secret unless --show-token), tenants
 * whose secret is gone; and `tenants status --summary`: tenants by state, live subaccounts against
 * the limit, tenants holding keys.
 */
import { DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTenantEvent } from '../../../shared/publishing/publisher.ts';
import { createSecretsManagerVault } from '../../../shared/secrets/tenant-vault.ts';
import { tenantEvent } from '../../helpers/events.ts';
import { applyEvents, type CliCloud, runTenants, runTenantsProcess, startCliCloud } from './support.ts';

let cli: CliCloud;
const churnedAt = new Date(Date.now() - 60_000);
const dueAt = new Date(churnedAt.getTime() + 86_400_000);

beforeAll(async () => {
  cli = await startCliCloud();
  await applyEvents(cli, [
    tenantEvent('tenant.created', 'acme', { at: 1 }),
    tenantEvent('tenant.created', 'late', { at: 1 }),
    tenantEvent('tenant.delinquent', 'late', { at: 2 }),
    tenantEvent('tenant.created', 'gone', { at: 1 }),
    tenantEvent('tenant.churned', 'gone', { at: 2 }),
    tenantEvent('tenant.created', 'orphan', { at: 1 }),
  ]);
  await applyEvents(
    cli,
    [
      tenantEvent('tenant.created', 'keyed', { at: 1, eventId: 'evt-keyed-created' }),
      tenantEvent('tenant.created', 'keyed-gone', { at: 1 }),
      tenantEvent('tenant.churned', 'keyed-gone', { at: 2 }),
    ],
    { TENANT_CREDENTIALS: 'api-key' },
  );
  await applyEvents(cli, [tenantEvent('tenant.created', 'both-co', { at: 1 })], {
    TENANT_CREDENTIALS: 'both',
  });
  await applyEvents(
    cli,
    [
      newTenantEvent('tenant.created', 'leaving', { occurredAt: new Date(churnedAt.getTime() - 60_000) }),
      newTenantEvent('tenant.churned', 'leaving', { occurredAt: churnedAt }),
    ],
    { CHURN_GRACE_DAYS: '1' },
  );
  // A subaccount of the main account that is no tenant's still counts against the limit.
  await cli.twilio.createSubaccount({ friendlyName: 'not a tenant' });
  // A secret deleted for good: the ledger still knows the tenant.
  await cli.cloud.secretsClient.send(
    new DeleteSecretCommand({ SecretId: 'tenants/orphan', ForceDeleteWithoutRecovery: true }),
  );
});
afterAll(() => cli?.stop());

const vault = () => createSecretsManagerVault({ client: cli.cloud.secretsClient, prefix: 'tenants' });

const expectNoSecrets = (text: string) => {
  for (const secret of cli.cloud.twilio.issuedSecrets()) expect(text).not.toContain(secret);
};

const json = async (argv: string[], env: Record<string, string | undefined> = cli.env) => {
  const run = await runTenants(argv, env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
};

const cells = (line: string | undefined) => line?.split(/\s{2,}/) ?? [];

describe('tenants status, with the ledger', () => {
  it('shows "closing on <date>" for a tenant inside its grace period, suspended on Twilio', async () => {
    const run = await runTenants(['status', 'leaving'], cli.env);
    expect(run.code).toBe(0);
    const [header, row] = run.stdout.trim().split('\n');
    const column = (name: string) => cells(row)[cells(header).indexOf(name)];
    expect(column('TWILIO')).toBe('suspended');
    expect(column('LEDGER')).toBe(`closing on ${dueAt.toISOString()}`);
    expect(column('SECRET')).toBe('stored');
    expect(column('CREDENTIAL')).toBe('auth token');

    const status = await json(['status', 'leaving', '--json']);
    expect(status.ledger).toEqual({
      state: 'closing',
      watermark: `${churnedAt.toISOString().slice(0, 19)}.${churnedAt.toISOString().slice(20, 23)}000000Z`,
      closeDueAt: dueAt.toISOString(),
    });
  });

  it("shows an API key tenant's key SID, never the key secret", async () => {
    const stored = await vault().readCredentials('keyed');
    expect(stored?.apiKeySid).toMatch(/^SK[0-9a-f]{32}$/);
    expect(stored?.authToken).toBeUndefined();
    const run = await runTenants(['status', 'keyed'], cli.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`api key ${stored?.apiKeySid}`);
    expect(run.stdout).not.toContain('API KEY SECRET');
    expectNoSecrets(run.stdout + run.stderr);

    const status = await json(['status', 'keyed', '--json']);
    expect(status).toMatchObject({ apiKeySid: stored?.apiKeySid, ledger: { state: 'active' } });
    expect(status.apiKeySecret).toBeUndefined();
    expect(status.authToken).toBeUndefined();
  });

  it('prints the API key secret, as a credential, only with --show-token', async () => {
    const stored = await vault().readCredentials('keyed');
    const run = await runTenants(['status', 'keyed', '--show-token'], cli.env);
    expect(run.code).toBe(0);
    const [header, row] = run.stdout.trim().split('\n');
    expect(cells(header).slice(-2)).toEqual(['AUTH TOKEN', 'API KEY SECRET']);
    expect(cells(row).slice(-2)).toEqual(['-', stored?.apiKeySecret]);

    const both = await vault().readCredentials('both-co');
    const status = await json(['status', 'both-co', '--show-token', '--json']);
    expect(status).toMatchObject({
      apiKeySid: both?.apiKeySid,
      authToken: both?.authToken,
      apiKeySecret: both?.apiKeySecret,
    });
  });

  it('lists every tenant, also one whose secret is gone but the ledger knows, without any secret', async () => {
    const run = await runTenants(['status', '--json'], cli.env);
    expect(run.code).toBe(0);
    const statuses = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(statuses.map((status) => status.tenantId)).toEqual([
      'acme',
      'both-co',
      'gone',
      'keyed',
      'keyed-gone',
      'late',
      'leaving',
      'orphan',
    ]);
    const byId = Object.fromEntries(statuses.map((status) => [status.tenantId, status]));
    expect(byId.orphan).toMatchObject({
      secret: 'absent',
      twilioStatus: 'active',
      ledger: { state: 'active' },
    });
    expect(byId['keyed-gone']).toMatchObject({ twilioStatus: 'closed', ledger: { state: 'closed' } });
    // A closed tenant's key went with its subaccount.
    expect(byId['keyed-gone']?.apiKeySid).toBeUndefined();
    expectNoSecrets(run.stdout);

    const table = await runTenantsProcess(['status'], cli.env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^leaving\s+AC[0-9a-f]{32}\s+suspended\s+closing on \S+Z\s/m);
    expect(table.stdout).toMatch(/^orphan\s+AC[0-9a-f]{32}\s+active\s+active\s+\S+\s+absent\s+-\s/m);
    expectNoSecrets(table.stdout + table.stderr);
  });

  it('needs the ledger table', async () => {
    const run = await runTenants(['status', 'acme'], { ...cli.env, TENANT_LEDGER_TABLE: undefined });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'tenants: invalid configuration: --ledger-table (TENANT_LEDGER_TABLE): is required\n',
    );
  });
});

describe('tenants status --summary', () => {
  it('counts tenants by state, live subaccounts against the limit and tenants holding keys', async () => {
    expect(await json(['status', '--summary', '--json'])).toEqual({
      tenants: { active: 4, suspended: 1, closing: 1, closed: 2, total: 8 },
      // acme, both-co, keyed, late, leaving, orphan, and the one that is not a tenant's
      subaccounts: { live: 7, limit: 1000, remaining: 993 },
      tenantsWithApiKeys: 2,
    });
  });

  it('prints three lines for people, and no secret', async () => {
    const run = await runTenants(['status', '--summary'], cli.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'tenants:      8 (4 active, 1 suspended, 1 closing, 2 closed)',
        'subaccounts:  7 live of a limit of 1000 (0.7% used, 993 left)',
        'api keys:     2 tenant(s) hold an API key',
        '',
      ].join('\n'),
    );
    expectNoSecrets(run.stdout + run.stderr);
  });

  it('takes the limit from --limit, else from SUBACCOUNT_LIMIT', async () => {
    expect((await json(['status', '--summary', '--json', '--limit', '10'])).subaccounts).toEqual({
      live: 7,
      limit: 10,
      remaining: 3,
    });
    const env = { ...cli.env, SUBACCOUNT_LIMIT: '7' };
    expect((await json(['status', '--summary', '--json'], env)).subaccounts.remaining).toBe(0);
    const run = await runTenants(['status', '--summary'], env);
    expect(run.stdout).toContain('7 live of a limit of 7 (100% used, LIMIT REACHED');
    expect((await json(['status', '--summary', '--json', '--limit', '8'], env)).subaccounts.limit).toBe(8);
  });

  it.each([
    [
      ['status', '--summary', '--limit', '0'],
      /--limit \(SUBACCOUNT_LIMIT\): must be an integer 1\.\.1000000/,
    ],
    [['status', '--summary', '--limit', 'many'], /--limit \(SUBACCOUNT_LIMIT\): must be an integer/],
    [['status', 'acme', '--summary'], /--summary covers every tenant: give no tenantId/],
    [['status', '--summary', '--show-token'], /--summary shows no credentials/],
  ])('refuses %j with one line and exit 2', async (argv, message) => {
    const run = await runTenants(argv, cli.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^tenants: [^\n]+\n$/);
    expect(run.stdout).toBe('');
  });

  it('works as a real executable', async () => {
    const run = await runTenantsProcess(['status', '--summary', '--limit', '100'], cli.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('7 live of a limit of 100 (7.0% used, 93 left)');
  });
});
