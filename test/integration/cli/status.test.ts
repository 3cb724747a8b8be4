/** `tenants status`: Twilio's status next to the secret's state; a token only when asked for. */
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantEvent } from '../../helpers/events.ts';
import { applyEvents, type CliCloud, runTenants, runTenantsProcess, startCliCloud } from './support.ts';

let cli: CliCloud;
const sidOf = (tenantId: string) =>
  cli.cloud.twilio.accounts().find((account) => account.friendly_name === `tenant:${tenantId}`)?.sid;
const tokenOf = (tenantId: string) =>
  cli.cloud.twilio.accounts().find((account) => account.friendly_name === `tenant:${tenantId}`)?.auth_token;

beforeAll(async () => {
  cli = await startCliCloud();
  await applyEvents(cli, [
    tenantEvent('tenant.created', 'acme', { at: 1, eventId: 'evt-acme-created' }),
    tenantEvent('tenant.created', 'globex', { at: 1 }),
    tenantEvent('tenant.delinquent', 'globex', { at: 2, eventId: 'evt-globex-delinquent' }),
    tenantEvent('tenant.created', 'gone', { at: 1 }),
    tenantEvent('tenant.churned', 'gone', { at: 3 }),
  ]);
});
afterAll(() => cli?.stop());

const expectNoToken = (text: string) => {
  for (const secret of cli.cloud.twilio.issuedSecrets()) expect(text).not.toContain(secret);
};

describe('tenants status', () => {
  it("shows one tenant's subaccount, Twilio status, secret state and last event, without its token", async () => {
    const run = await runTenants(['status', 'acme'], cli.env);
    expect(run.code).toBe(0);
    const [header, row, ...rest] = run.stdout.trim().split('\n');
    expect(rest).toEqual([]);
    expect(header?.split(/\s{2,}/)).toEqual([
      'TENANT',
      'SUBACCOUNT',
      'TWILIO',
      'LEDGER',
      'WATERMARK',
      'SECRET',
      'CREDENTIAL',
      'LAST EVENT',
      'AT',
    ]);
    expect(row?.split(/\s{2,}/)).toEqual([
      'acme',
      sidOf('acme'),
      'active',
      'active',
      '2026-11-01T00:01:00.000000000Z',
      'stored',
      'auth token',
      'evt-acme-created',
      '2026-11-01T00:01:00.000Z',
    ]);
    expectNoToken(run.stdout + run.stderr);
  });

  it('prints the auth token only with --show-token', async () => {
    const run = await runTenants(['status', 'acme', '--show-token'], cli.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('AUTH TOKEN');
    expect(run.stdout).toContain(tokenOf('acme'));
  });

  it('lists every tenant under the prefix, with retired secrets and their deletion date', async () => {
    const run = await runTenants(['status', '--json'], cli.env);
    expect(run.code).toBe(0);
    const statuses = JSON.parse(run.stdout);
    expect(statuses.map((s: { tenantId: string }) => s.tenantId)).toEqual(['acme', 'globex', 'gone']);
    expect(statuses[1]).toMatchObject({
      accountSid: sidOf('globex'),
      twilioStatus: 'suspended',
      secret: 'stored',
      lifecycle: 'suspended',
      lastEventId: 'evt-globex-delinquent',
      ledger: { state: 'suspended', watermark: '2026-11-01T00:02:00.000000000Z' },
    });
    expect(statuses[1].apiKeySid).toBeUndefined();
    const gone = statuses[2];
    expect(gone).toMatchObject({
      twilioStatus: 'closed',
      secret: 'retired',
      lifecycle: 'closed',
      ledger: { state: 'closed' },
    });
    // The default recovery window (30 days) after the secret was scheduled for deletion.
    expect(Date.parse(gone.deletionAfter) - Date.parse(gone.retiredAt)).toBe(30 * 86_400_000);
    expectNoToken(run.stdout);

    const table = await runTenants(['status'], cli.env);
    expect(table.stdout).toMatch(
      new RegExp(
        `gone\\s+${sidOf('gone')}\\s+closed\\s+closed\\s+\\S+\\s+retired \\(deleted after \\d{4}-\\d\\d-\\d\\d\\)\\s+-\\s`,
      ),
    );
  });

  it('never reads a token for a retired tenant, even with --show-token', async () => {
    const run = await runTenants(['status', 'gone', '--show-token', '--json'], cli.env);
    const status = JSON.parse(run.stdout);
    expect(status.secret).toBe('retired');
    expect(status.authToken).toBeUndefined();
  });

  it('shows a tenant without a secret as absent, found on Twilio by its FriendlyName', async () => {
    const created = await cli.twilio.createSubaccount({ friendlyName: 'tenant:no-secret' });
    const run = await runTenants(['status', 'no-secret', '--json'], cli.env);
    expect(JSON.parse(run.stdout)).toEqual({
      tenantId: 'no-secret',
      accountSid: created.sid,
      twilioStatus: 'active',
      secret: 'absent',
    });
    const unknown = await runTenants(['status', 'nobody', '--json'], cli.env);
    expect(JSON.parse(unknown.stdout)).toEqual({
      tenantId: 'nobody',
      twilioStatus: 'unknown',
      secret: 'absent',
    });
  });

  it('keeps the token out of the output of the real executable too', async () => {
    const run = await runTenantsProcess(['status'], cli.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(sidOf('acme'));
    expectNoToken(run.stdout + run.stderr);
  });

  it.each([
    [['status', 'not valid!'], {}, /invalid tenantId "not valid!"/],
    [
      ['status', 'acme'],
      { PARENT_CREDENTIALS_SECRET: undefined },
      /--parent-secret \(PARENT_CREDENTIALS_SECRET\): is required/,
    ],
    [
      ['status', '--secret-prefix', 'tenants/'],
      {},
      /--secret-prefix \(SECRET_PREFIX\): must be 1\.\.200 .* without a leading or trailing \//,
    ],
    [
      ['status', 'acme', '--parent-secret', 'no-such-secret'],
      {},
      /GetSecretValue on "no-such-secret" failed: ResourceNotFoundException/,
    ],
  ])('refuses %j with one line and exit 2', async (argv, env, message) => {
    const run = await runTenants(argv, { ...cli.env, ...env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^tenants: [^\n]+\n$/);
    expect(run.stdout).toBe('');
  });

  it('reports refused main-account credentials on one line, without the token', async () => {
    const rotated = cli.cloud.twilio.rotateAuthToken();
    try {
      const run = await runTenants(['status', 'acme'], cli.env);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^tenants: Twilio fetch failed with HTTP 401[^\n]*\n$/);
      expectNoToken(run.stderr);
      expect(run.stderr).not.toContain(rotated);
    } finally {
      await cli.cloud.secretsClient.send(
        new PutSecretValueCommand({
          SecretId: cli.cloud.parentCredentialsSecretName,
          SecretString: JSON.stringify({ accountSid: cli.cloud.twilio.accountSid, authToken: rotated }),
        }),
      );
    }
    // With the parent secret updated, the next run reads the new token.
    expect((await runTenants(['status', 'acme'], cli.env)).code).toBe(0);
  });
});
