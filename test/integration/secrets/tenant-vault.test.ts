import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialVault, EventMark, TenantCredentials } from '../../../shared/domain/ports.ts';
import { SecretNotManagedError, SecretsManagerCallError } from '../../../shared/secrets/errors.ts';
import { createSecretsManagerVault } from '../../../shared/secrets/tenant-vault.ts';
import { type Harness, startHarness, stopHarness } from '../secrets-emulator/harness.ts';

let harness: Harness;
let vault: CredentialVault;

beforeAll(async () => {
  harness = await startHarness();
  vault = createSecretsManagerVault({ client: harness.client, prefix: 'tenants' });
});
afterAll(() => stopHarness(harness));

const credentials = (tenantId: string, n = 1): TenantCredentials => ({
  tenantId,
  accountSid: `AC${String(n).padStart(32, '0')}`,
  authToken: `${n}`.padStart(32, 'f'),
  friendlyName: `tenant:${tenantId}`,
  provisionedAt: '2026-11-27T10:00:00.000Z',
  provisionedByEventId: `evt-${n}`,
});

const mark = (lastEventId: string, overrides: Partial<EventMark> = {}): EventMark => ({
  lifecycle: 'active',
  lastEventId,
  lastEventAt: '2026-11-27T10:00:00Z',
  accountSid: `AC${'1'.padStart(32, '0')}`,
  ...overrides,
});

const TOKEN_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const TOKEN_B = 'aaaaaaaa-0000-4000-8000-000000000002';

describe('the Secrets Manager vault', () => {
  it('creates the tenant secret with its value and watermark tags in one call, and reads both back', async () => {
    await vault.create(credentials('acme'), mark('evt-1'), TOKEN_A);
    expect(await vault.readCredentials('acme')).toEqual(credentials('acme'));
    expect(await vault.describe('acme')).toEqual({
      tenantId: 'acme',
      accountSid: credentials('acme').accountSid,
      friendlyName: 'tenant:acme',
      lifecycle: 'active',
      lastEventId: 'evt-1',
      lastEventAt: '2026-11-27T10:00:00Z',
      retired: false,
    });
    const described = await harness.client.send(new DescribeSecretCommand({ SecretId: 'tenants/acme' }));
    expect(described.Tags).toEqual(
      expect.arrayContaining([{ Key: 'managed-by', Value: 'subaccount-provisioner' }]),
    );
  });

  it('treats a repeated create of the same event as done, and another event as a conflict', async () => {
    await vault.create(credentials('replay'), mark('evt-1'), TOKEN_A);
    await vault.create(credentials('replay'), mark('evt-1'), TOKEN_A);
    const error = await vault
      .create(credentials('replay', 2), mark('evt-2'), TOKEN_B)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SECRET_CONFLICT', retryable: true });
  });

  it('replaces credentials idempotently per request token', async () => {
    await vault.create(credentials('rotate'), mark('evt-1'), TOKEN_A);
    await vault.replaceCredentials(credentials('rotate', 2), TOKEN_B);
    await vault.replaceCredentials(credentials('rotate', 2), TOKEN_B);
    expect((await vault.readCredentials('rotate'))?.accountSid).toBe(credentials('rotate', 2).accountSid);
    const described = await harness.client.send(new DescribeSecretCommand({ SecretId: 'tenants/rotate' }));
    expect(Object.values(described.VersionIdsToStages ?? {}).sort()).toEqual([
      ['AWSCURRENT'],
      ['AWSPREVIOUS'],
    ]);
  });

  it('moves the watermark, retires (still describable, no longer readable) and restores', async () => {
    await vault.create(credentials('churn'), mark('evt-1'), TOKEN_A);
    await vault.mark(
      'churn',
      mark('evt-2', { lifecycle: 'closed', lastEventAt: '2026-11-28T00:00:00+01:00' }),
    );
    await vault.retire('churn', 7);
    await vault.retire('churn', 7);
    expect(await vault.describe('churn')).toMatchObject({
      lifecycle: 'closed',
      lastEventId: 'evt-2',
      retired: true,
    });
    expect(await vault.readCredentials('churn')).toBeUndefined();
    const read = harness.client.send(new GetSecretValueCommand({ SecretId: 'tenants/churn' }));
    await expect(read).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await vault.restore('churn');
    expect(await vault.describe('churn')).toMatchObject({ retired: false });
    expect(await vault.readCredentials('churn')).toEqual(credentials('churn'));
  });

  it('reports an absent tenant as undefined', async () => {
    expect(await vault.describe('nobody')).toBeUndefined();
    expect(await vault.readCredentials('nobody')).toBeUndefined();
  });

  it('refuses a secret it did not write', async () => {
    await harness.client.send(new CreateSecretCommand({ Name: 'tenants/foreign', SecretString: '{}' }));
    const error = await vault.describe('foreign').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretNotManagedError);
    expect((error as Error).message).toContain(
      'missing tags: tenant-id, account-sid, lifecycle, last-event-id, last-event-at',
    );
  });

  it('turns throttling into a retryable error and validation errors into permanent ones, naming no value', async () => {
    harness.emulator.injectFault({ operation: 'DescribeSecret', fault: { kind: 'throttle' }, times: 1 });
    const throttled = await vault.describe('acme').catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(SecretsManagerCallError);
    expect(throttled).toMatchObject({ retryable: true, awsErrorName: 'ThrottlingException' });
    const invalid = await vault.retire('acme', 3).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ retryable: false });
    expect((invalid as Error).message).toBe(
      'Secrets Manager DeleteSecret on "tenants/acme" failed: InvalidParameterException',
    );
    expect(JSON.stringify(invalid)).not.toContain(credentials('acme').authToken);
  });
});
