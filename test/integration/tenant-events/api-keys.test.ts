/**
 * Per-tenant API keys with the real handler against the Twilio emulator's Keys resource: created
 * exactly once (even when the answer is lost or the secret write dies), rotated with no gap, ended
 * by churn; "works" always means the Balance probe with the stored key, as Twilio allows a
 * Standard key to read Balance but not Accounts.
 */
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFriendlyName } from '../../../shared/domain/api-keys.ts';
import { createTwilioAccountsClient, createTwilioApiKeyGateway } from '../../../shared/twilio/index.ts';
import { tenantEvent } from '../../helpers/events.ts';
import { type Pipeline, startPipeline } from '../../helpers/pipeline.ts';

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline({
    functionTimeoutMs: 3_000,
    maxReceiveCount: 10,
    // The main-account credentials are read again for every call, so a changed parent secret
    // (a Standard or a Main key below) is what the next call uses.
    env: { TENANT_CREDENTIALS: 'api-key', PARENT_CREDENTIALS_TTL_SECONDS: '0' },
  });
}, 60_000);
afterAll(() => pipeline?.stop());
afterEach(() => {
  pipeline.cloud.twilio.clearFaults();
  pipeline.cloud.secrets.clearFaults();
});

const keysGateway = () =>
  createTwilioApiKeyGateway(
    createTwilioAccountsClient({
      credentials: {
        current: () => ({
          accountSid: pipeline.cloud.twilio.accountSid,
          authToken: pipeline.cloud.twilio.authToken,
        }),
      },
      baseUrl: pipeline.cloud.twilio.url,
    }),
  );

/** Live keys of this service on the tenant's subaccounts. */
const ourKeys = (tenantId: string) =>
  pipeline.cloud.twilio.keys().filter((key) => key.friendly_name === apiKeyFriendlyName(tenantId));

/** The stored key works: the Balance probe with the stored SID and secret. */
const storedKeyWorks = async (tenantId: string): Promise<boolean> => {
  const stored = await pipeline.secretOf(tenantId);
  if (stored?.apiKeySid === undefined || stored.apiKeySecret === undefined) return false;
  return keysGateway().keyWorks(stored.accountSid, stored.apiKeySid, stored.apiKeySecret);
};

const provision = async (tenantId: string) => {
  await pipeline.publish(tenantEvent('tenant.created', tenantId, { at: 1 }));
  await pipeline.drain();
};

describe('TENANT_CREDENTIALS=api-key', () => {
  it('stores a working Standard key instead of the auth token', async () => {
    await provision('keyed');
    const stored = await pipeline.secretOf('keyed');
    expect(stored?.authToken).toBeUndefined();
    expect(stored?.apiKeySid).toMatch(/^SK[0-9a-f]{32}$/);
    expect(ourKeys('keyed')).toEqual([expect.objectContaining({ sid: stored?.apiKeySid, type: 'Standard' })]);
    expect(await storedKeyWorks('keyed')).toBe(true);
  });

  it('replaces a key whose create answer was lost: one live key, and the stored one works', async () => {
    pipeline.cloud.twilio.injectFault({ route: 'key-create', fault: { kind: 'reset-after' }, times: 1 });
    await provision('key-lost');
    expect(ourKeys('key-lost')).toHaveLength(1);
    expect(await storedKeyWorks('key-lost')).toBe(true);
    const attempts = pipeline.outcomes().filter((o) => o.tenantId === 'key-lost');
    expect(attempts.map((o) => o.errorCode ?? o.outcome)).toEqual(['KEY_CREATE_UNRESOLVED', 'created']);
  });

  it('replaces a key made by an invocation that died before the secret write', async () => {
    // The secret write hangs past the function timeout: the environment is killed after the key exists.
    pipeline.cloud.secrets.injectFault({
      operation: 'CreateSecret',
      fault: { kind: 'latency', ms: 8_000 },
      times: 1,
    });
    const timedOut = pipeline.runner.stats().timedOut;
    await provision('key-crash');
    expect(pipeline.runner.stats().timedOut).toBeGreaterThan(timedOut);
    expect(ourKeys('key-crash')).toHaveLength(1);
    expect(await storedKeyWorks('key-crash')).toBe(true);
  });

  it('rotates: the new key works, the old one is refused, and one key is live', async () => {
    await provision('rotating');
    const before = await pipeline.secretOf('rotating');
    await pipeline.publish(tenantEvent('tenant.credentials-rotation-requested', 'rotating', { at: 2 }));
    await pipeline.drain();
    const after = await pipeline.secretOf('rotating');
    expect(after?.apiKeySid).not.toBe(before?.apiKeySid);
    expect(await storedKeyWorks('rotating')).toBe(true);
    expect(await keysGateway().keyWorks(before!.accountSid, before!.apiKeySid!, before!.apiKeySecret!)).toBe(
      false,
    );
    expect(ourKeys('rotating').map((key) => key.sid)).toEqual([after?.apiKeySid]);
    // No gap: the new key was created before the secret changed, and the old deleted after.
    const routes = pipeline.cloud.twilio
      .requestLog()
      .filter((entry) => entry.route === 'key-create' || entry.route === 'key-delete')
      .map((entry) => entry.route);
    expect(routes.slice(-2)).toEqual(['key-create', 'key-delete']);
    const rotated = pipeline.cloud.eventbridge
      .received()
      .filter(
        (e) =>
          e.detailType === 'tenant.credentials-rotated' &&
          (e.detail as { tenantId: string }).tenantId === 'rotating',
      );
    expect(rotated).toHaveLength(1);
  });

  it('ends the key with the churn', async () => {
    await provision('key-churn');
    const stored = await pipeline.secretOf('key-churn');
    await pipeline.publish(tenantEvent('tenant.churned', 'key-churn', { at: 2 }));
    await pipeline.drain();
    expect(await keysGateway().keyWorks(stored!.accountSid, stored!.apiKeySid!, stored!.apiKeySecret!)).toBe(
      false,
    );
    expect(await pipeline.secretOf('key-churn')).toBeUndefined();
  });

  it('keeps every key secret out of the logs', () => {
    const logs = pipeline.logs.join('\n');
    for (const secret of pipeline.cloud.twilio.issuedSecrets()) expect(logs).not.toContain(secret);
  });
});

describe('the parent credentials', () => {
  it('refuse a Standard parent key with a clear error, dead-lettered', async () => {
    const main = createTwilioAccountsClient({
      credentials: {
        current: () => ({
          accountSid: pipeline.cloud.twilio.accountSid,
          authToken: pipeline.cloud.twilio.authToken,
        }),
      },
      baseUrl: pipeline.cloud.twilio.url,
    });
    const standard = await main.createKey(pipeline.cloud.twilio.accountSid, {
      friendlyName: 'not a main key',
    });
    const parent = pipeline.cloud.parentCredentialsSecretName;
    const put = (value: object) =>
      pipeline.cloud.secretsClient.send(
        new PutSecretValueCommand({ SecretId: parent, SecretString: JSON.stringify(value) }),
      );
    await put({
      accountSid: pipeline.cloud.twilio.accountSid,
      apiKeySid: standard.sid,
      apiKeySecret: standard.secret,
    });
    try {
      await provision('standard-parent');
      const letters = (await pipeline.takeDeadLetters()).filter(
        (l) => l.attributes.tenantId === 'standard-parent',
      );
      expect(letters).toHaveLength(1);
      expect(letters[0]?.attributes.reason).toMatch(
        /must be the main account's auth token or a Main API key/,
      );
      expect(letters[0]?.attributes.reason).not.toContain(standard.secret);
    } finally {
      await put({ accountSid: pipeline.cloud.twilio.accountSid, authToken: pipeline.cloud.twilio.authToken });
    }
  });

  it('accept a Main key', async () => {
    const mainKey = pipeline.cloud.twilio.createMainKey({ friendlyName: 'provisioner' });
    const parent = pipeline.cloud.parentCredentialsSecretName;
    const put = (value: object) =>
      pipeline.cloud.secretsClient.send(
        new PutSecretValueCommand({ SecretId: parent, SecretString: JSON.stringify(value) }),
      );
    await put({
      accountSid: pipeline.cloud.twilio.accountSid,
      apiKeySid: mainKey.sid,
      apiKeySecret: mainKey.secret,
    });
    try {
      await provision('main-key-parent');
      expect(pipeline.accountsOf('main-key-parent')).toHaveLength(1);
      expect(await storedKeyWorks('main-key-parent')).toBe(true);
    } finally {
      await put({ accountSid: pipeline.cloud.twilio.accountSid, authToken: pipeline.cloud.twilio.authToken });
    }
  });
});

describe('TENANT_CREDENTIALS=both', () => {
  let both: Pipeline;
  beforeAll(async () => {
    both = await startPipeline({ env: { TENANT_CREDENTIALS: 'both' } });
  }, 60_000);
  afterAll(() => both?.stop());

  it('stores the auth token and a working key', async () => {
    await both.publish(tenantEvent('tenant.created', 'both', { at: 1 }));
    await both.drain();
    const stored = await both.secretOf('both');
    const [account] = both.accountsOf('both');
    expect(stored).toMatchObject({ accountSid: account?.sid, authToken: account?.auth_token });
    expect(stored?.apiKeySid).toMatch(/^SK/);
  });
});
