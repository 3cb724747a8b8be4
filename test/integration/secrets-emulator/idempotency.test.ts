import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, rawCall, startHarness, stopHarness, token } from './harness.ts';

const versionCount = async (h: Harness, SecretId: string): Promise<number> => {
  const described = await h.client.send(new DescribeSecretCommand({ SecretId }));
  return Object.keys(described.VersionIdsToStages ?? {}).length;
};

describe('secrets emulator: ClientRequestToken idempotency', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => stopHarness(h));

  it('uses the token as the VersionId', async () => {
    const created = await h.client.send(
      new CreateSecretCommand({ Name: 's', SecretString: 'one', ClientRequestToken: token(1) }),
    );
    expect(created.VersionId).toBe(token(1));
    const put = await h.client.send(
      new PutSecretValueCommand({ SecretId: 's', SecretString: 'two', ClientRequestToken: token(2) }),
    );
    expect(put.VersionId).toBe(token(2));
  });

  it('replays PutSecretValue with the same token and value without a new version', async () => {
    await h.client.send(
      new CreateSecretCommand({ Name: 's', SecretString: 'one', ClientRequestToken: token(1) }),
    );
    const first = await h.client.send(
      new PutSecretValueCommand({ SecretId: 's', SecretString: 'two', ClientRequestToken: token(2) }),
    );
    const again = await h.client.send(
      new PutSecretValueCommand({ SecretId: 's', SecretString: 'two', ClientRequestToken: token(2) }),
    );
    expect(again.VersionId).toBe(first.VersionId);
    expect(again.VersionStages).toEqual(['AWSCURRENT']);
    const described = await h.client.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(described.VersionIdsToStages).toEqual({ [token(1)]: ['AWSPREVIOUS'], [token(2)]: ['AWSCURRENT'] });
  });

  it('rejects the same token with a different value as ResourceExistsException', async () => {
    await h.client.send(
      new CreateSecretCommand({ Name: 's', SecretString: 'one', ClientRequestToken: token(1) }),
    );
    await h.client.send(
      new PutSecretValueCommand({ SecretId: 's', SecretString: 'two', ClientRequestToken: token(2) }),
    );
    await expect(
      h.client.send(
        new PutSecretValueCommand({ SecretId: 's', SecretString: 'other', ClientRequestToken: token(2) }),
      ),
    ).rejects.toBeInstanceOf(ResourceExistsException);
    expect((await h.client.send(new GetSecretValueCommand({ SecretId: 's' }))).SecretString).toBe('two');
  });

  it('replays CreateSecret with the same token and value, and refuses any other create of that name', async () => {
    const input = { Name: 's', SecretString: 'one', ClientRequestToken: token(1) };
    const first = await h.client.send(new CreateSecretCommand(input));
    const again = await h.client.send(new CreateSecretCommand(input));
    expect(again).toMatchObject({ ARN: first.ARN, Name: 's', VersionId: token(1) });
    expect(await versionCount(h, 's')).toBe(1);

    await expect(
      h.client.send(new CreateSecretCommand({ ...input, SecretString: 'changed' })),
    ).rejects.toBeInstanceOf(ResourceExistsException);
    await expect(h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'one' }))).rejects.toThrow(
      /already exists/,
    );
  });

  it('replays UpdateSecret with the same token and value without a new version', async () => {
    await h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'one' }));
    const input = { SecretId: 's', SecretString: 'two', ClientRequestToken: token(3) };
    const first = await h.client.send(new UpdateSecretCommand(input));
    const again = await h.client.send(new UpdateSecretCommand(input));
    expect(again.VersionId).toBe(first.VersionId);
    expect(await versionCount(h, 's')).toBe(2);
  });

  it('lets the SDK fill the token itself: each call without one is a new version', async () => {
    await h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'same' }));
    const a = await h.client.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'same' }));
    const b = await h.client.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'same' }));
    expect(a.VersionId).not.toBe(b.VersionId);
    expect(await versionCount(h, 's')).toBe(2);
  });

  it('generates a UUID version id for raw requests that carry no token', async () => {
    const created = await rawCall(
      h.emulator.url,
      'secretsmanager.CreateSecret',
      JSON.stringify({ Name: 'raw', SecretString: 'x' }),
    );
    expect(created.status).toBe(200);
    expect(created.json.VersionId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const put = await rawCall(
      h.emulator.url,
      'secretsmanager.PutSecretValue',
      JSON.stringify({ SecretId: 'raw', SecretString: 'y' }),
    );
    expect(put.json.VersionId).not.toBe(created.json.VersionId);
  });

  it('rejects tokens outside 32..64 characters', async () => {
    await h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'one' }));
    await expect(
      h.client.send(
        new PutSecretValueCommand({ SecretId: 's', SecretString: 'x', ClientRequestToken: 'short' }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      h.client.send(
        new PutSecretValueCommand({ SecretId: 's', SecretString: 'x', ClientRequestToken: 'x'.repeat(65) }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
