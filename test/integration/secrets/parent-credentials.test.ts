import { CreateSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createParentCredentialsSource,
  ParentCredentialsInvalidError,
} from '../../../shared/secrets/parent-credentials.ts';
import { type Harness, startHarness, stopHarness } from '../secrets-emulator/harness.ts';

let harness: Harness;
const SID = `AC${'a'.repeat(32)}`;
const put = (name: string, value: unknown) =>
  harness.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: JSON.stringify(value) }));

beforeAll(async () => {
  harness = await startHarness();
  await harness.client.send(
    new CreateSecretCommand({
      Name: 'parent',
      SecretString: JSON.stringify({ accountSid: SID, authToken: 'first-token' }),
    }),
  );
});
afterAll(() => stopHarness(harness));

describe('the parent credentials source', () => {
  it('caches for the TTL, shares one read between concurrent callers, and refreshes on demand', async () => {
    let now = 0;
    const source = createParentCredentialsSource({
      client: harness.client,
      secretId: 'parent',
      ttlMs: 1000,
      now: () => now,
    });
    harness.emulator.resetStats();
    const [a, b] = await Promise.all([source.current(), source.current()]);
    expect(a).toEqual({ accountSid: SID, authToken: 'first-token' });
    expect(b).toEqual(a);
    expect(harness.emulator.stats().byOperation.GetSecretValue).toBe(1);

    await put('parent', { accountSid: SID, authToken: 'rotated-token' });
    now = 999;
    expect(await source.current()).toMatchObject({ authToken: 'first-token' });
    expect(await source.refresh()).toMatchObject({ authToken: 'rotated-token' });
    now = 5000;
    expect(await source.current()).toMatchObject({ authToken: 'rotated-token' });
    expect(harness.emulator.stats().byOperation.GetSecretValue).toBe(3);
  });

  it('prefetches at cold start without a second read, and a failed prefetch is retried, not lost', async () => {
    const source = createParentCredentialsSource({
      client: harness.client,
      secretId: 'parent',
      ttlMs: 60_000,
    });
    harness.emulator.resetStats();
    source.prefetch();
    await source.current();
    expect(harness.emulator.stats().byOperation.GetSecretValue).toBe(1);

    const missing = createParentCredentialsSource({
      client: harness.client,
      secretId: 'not-yet',
      ttlMs: 60_000,
    });
    missing.prefetch();
    await expect(Promise.resolve(missing.current())).rejects.toMatchObject({
      awsErrorName: 'ResourceNotFoundException',
    });
    await harness.client.send(
      new CreateSecretCommand({
        Name: 'not-yet',
        SecretString: JSON.stringify({ accountSid: SID, authToken: 'late' }),
      }),
    );
    expect(await missing.current()).toMatchObject({ authToken: 'late' });
  });

  it('accepts an API key instead of the auth token', async () => {
    await harness.client.send(
      new CreateSecretCommand({
        Name: 'parent-key',
        SecretString: JSON.stringify({
          accountSid: SID,
          apiKeySid: `SK${'b'.repeat(32)}`,
          apiKeySecret: 'secret',
        }),
      }),
    );
    const source = createParentCredentialsSource({
      client: harness.client,
      secretId: 'parent-key',
      ttlMs: 1000,
    });
    expect(await source.current()).toMatchObject({ apiKeySid: `SK${'b'.repeat(32)}` });
  });

  it('names the secret, never its content, when the content is wrong', async () => {
    await harness.client.send(
      new CreateSecretCommand({
        Name: 'parent-bad',
        SecretString: JSON.stringify({ authToken: 'leaky-token' }),
      }),
    );
    const source = createParentCredentialsSource({
      client: harness.client,
      secretId: 'parent-bad',
      ttlMs: 1000,
    });
    const error = await Promise.resolve(source.current()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParentCredentialsInvalidError);
    expect((error as Error).message).toContain('"parent-bad"');
    expect(JSON.stringify(error)).not.toContain('leaky-token');
  });

  it('reports a missing secret as a permanent Secrets Manager error', async () => {
    const source = createParentCredentialsSource({
      client: harness.client,
      secretId: 'missing',
      ttlMs: 1000,
    });
    await expect(Promise.resolve(source.current())).rejects.toMatchObject({
      code: 'SECRETS_MANAGER_FAILURE',
      awsErrorName: 'ResourceNotFoundException',
      retryable: false,
    });
  });
});
