import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_DEPRECATED_VERSIONS } from '../../../local/secrets-emulator/versions.ts';
import { FAKE_CREDENTIALS, type Harness, manualClock, startHarness, stopHarness } from './harness.ts';

const ARN_PATTERN = /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:tenants\/t-1-[A-Za-z0-9]{6}$/;

describe('secrets emulator: secrets and versions', () => {
  const clock = manualClock();
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ region: 'eu-west-1', accountId: '123456789012', now: clock.now });
  });
  afterEach(async () => stopHarness(h));

  it('creates a secret with a value, description, KMS key and tags, and describes it', async () => {
    const created = await h.client.send(
      new CreateSecretCommand({
        Name: 'tenants/t-1',
        SecretString: '{"authToken":"s3cr3t"}',
        Description: 'Tenant t-1 credentials',
        KmsKeyId: 'alias/tenants',
        Tags: [{ Key: 'tenantId', Value: 't-1' }],
      }),
    );
    expect(created.ARN).toMatch(ARN_PATTERN);
    expect(created.Name).toBe('tenants/t-1');
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);

    const described = await h.client.send(new DescribeSecretCommand({ SecretId: 'tenants/t-1' }));
    expect(described).toMatchObject({
      ARN: created.ARN,
      Name: 'tenants/t-1',
      Description: 'Tenant t-1 credentials',
      KmsKeyId: 'alias/tenants',
      Tags: [{ Key: 'tenantId', Value: 't-1' }],
      VersionIdsToStages: { [created.VersionId!]: ['AWSCURRENT'] },
    });
    expect(described.CreatedDate).toEqual(clock.now());
    expect(described.LastChangedDate).toEqual(clock.now());
    expect(described.LastAccessedDate).toBeUndefined();
    expect(described.DeletedDate).toBeUndefined();
    expect(h.emulator.secretNames()).toEqual(['tenants/t-1']);
  });

  it('gives each secret its own random 6-character ARN suffix', async () => {
    const a = await h.client.send(new CreateSecretCommand({ Name: 'a', SecretString: 'x' }));
    const b = await h.client.send(new CreateSecretCommand({ Name: 'b', SecretString: 'x' }));
    const suffix = (arn: string | undefined) => arn?.slice(-6);
    expect(suffix(a.ARN)).toMatch(/^[A-Za-z0-9]{6}$/);
    expect(suffix(a.ARN)).not.toBe(suffix(b.ARN));
  });

  it('reads the value by name, full ARN and partial ARN, and records the access day', async () => {
    const created = await h.client.send(new CreateSecretCommand({ Name: 'tenants/t-1', SecretString: 'v1' }));
    const partialArn = created.ARN!.slice(0, -7);
    for (const SecretId of ['tenants/t-1', created.ARN!, partialArn]) {
      const value = await h.client.send(new GetSecretValueCommand({ SecretId }));
      expect(value).toMatchObject({ ARN: created.ARN, Name: 'tenants/t-1', SecretString: 'v1' });
      expect(value.VersionStages).toEqual(['AWSCURRENT']);
      expect(value.CreatedDate).toEqual(clock.now());
    }
    const described = await h.client.send(new DescribeSecretCommand({ SecretId: partialArn }));
    expect(described.LastAccessedDate?.toISOString()).toBe(
      `${clock.now().toISOString().slice(0, 10)}T00:00:00.000Z`,
    );
  });

  it('stores binary values', async () => {
    await h.client.send(
      new CreateSecretCommand({ Name: 'bin', SecretBinary: new Uint8Array([0, 1, 254, 255]) }),
    );
    const value = await h.client.send(new GetSecretValueCommand({ SecretId: 'bin' }));
    expect([...(value.SecretBinary ?? [])]).toEqual([0, 1, 254, 255]);
    expect(value.SecretString).toBeUndefined();
  });

  it('moves AWSCURRENT to a new version and AWSPREVIOUS to the old current one', async () => {
    const v1 = await h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'one' }));
    const v2 = await h.client.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'two' }));
    expect(v2.VersionStages).toEqual(['AWSCURRENT']);
    const v3 = await h.client.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'three' }));

    const described = await h.client.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(described.VersionIdsToStages).toEqual({
      [v2.VersionId!]: ['AWSPREVIOUS'],
      [v3.VersionId!]: ['AWSCURRENT'],
    });
    const previous = await h.client.send(
      new GetSecretValueCommand({ SecretId: 's', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous.SecretString).toBe('two');
    const deprecated = await h.client.send(
      new GetSecretValueCommand({ SecretId: 's', VersionId: v1.VersionId }),
    );
    expect(deprecated.SecretString).toBe('one');
    expect(deprecated.VersionStages).toEqual([]);
  });

  it('honours explicit VersionStages without touching AWSCURRENT', async () => {
    const v1 = await h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'one' }));
    const pending = await h.client.send(
      new PutSecretValueCommand({ SecretId: 's', SecretString: 'next', VersionStages: ['AWSPENDING'] }),
    );
    expect(pending.VersionStages).toEqual(['AWSPENDING']);
    const current = await h.client.send(new GetSecretValueCommand({ SecretId: 's' }));
    expect(current.VersionId).toBe(v1.VersionId);
    const byStage = await h.client.send(
      new GetSecretValueCommand({ SecretId: 's', VersionStage: 'AWSPENDING' }),
    );
    expect(byStage.SecretString).toBe('next');
  });

  it('rejects a VersionId and VersionStage that name different versions', async () => {
    const v1 = await h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'one' }));
    await h.client.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'two' }));
    await expect(
      h.client.send(
        new GetSecretValueCommand({ SecretId: 's', VersionId: v1.VersionId, VersionStage: 'AWSCURRENT' }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('keeps only a few deprecated versions', async () => {
    const first = await h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'v0' }));
    const ids = [first.VersionId!];
    for (let i = 1; i <= MAX_DEPRECATED_VERSIONS + 3; i += 1) {
      const put = await h.client.send(new PutSecretValueCommand({ SecretId: 's', SecretString: `v${i}` }));
      ids.push(put.VersionId!);
    }
    await expect(
      h.client.send(new GetSecretValueCommand({ SecretId: 's', VersionId: ids[0] })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    // The newest deprecated version (the one before AWSPREVIOUS) is still readable.
    const kept = await h.client.send(new GetSecretValueCommand({ SecretId: 's', VersionId: ids.at(-3) }));
    expect(kept.VersionStages).toEqual([]);
  });

  it('answers ResourceNotFoundException for a secret created without a value', async () => {
    const created = await h.client.send(new CreateSecretCommand({ Name: 'empty' }));
    expect(created.VersionId).toBeUndefined();
    await expect(h.client.send(new GetSecretValueCommand({ SecretId: 'empty' }))).rejects.toThrow(
      /staging label: AWSCURRENT/,
    );
    const described = await h.client.send(new DescribeSecretCommand({ SecretId: 'empty' }));
    expect(described.VersionIdsToStages).toEqual({});
  });

  it('updates description and KMS key in place, and a value as a new current version', async () => {
    const v1 = await h.client.send(
      new CreateSecretCommand({ Name: 's', SecretString: 'one', Description: 'old' }),
    );
    clock.advanceMs(5_000);
    const metaOnly = await h.client.send(
      new UpdateSecretCommand({ SecretId: 's', Description: 'new', KmsKeyId: 'k' }),
    );
    expect(metaOnly.VersionId).toBeUndefined();
    let described = await h.client.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(described).toMatchObject({ Description: 'new', KmsKeyId: 'k' });
    expect(described.LastChangedDate).toEqual(clock.now());
    expect(described.VersionIdsToStages).toEqual({ [v1.VersionId!]: ['AWSCURRENT'] });

    const withValue = await h.client.send(new UpdateSecretCommand({ SecretId: 's', SecretString: 'two' }));
    expect(withValue.VersionId).toBeDefined();
    described = await h.client.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(described.VersionIdsToStages).toEqual({
      [v1.VersionId!]: ['AWSPREVIOUS'],
      [withValue.VersionId!]: ['AWSCURRENT'],
    });
    expect((await h.client.send(new GetSecretValueCommand({ SecretId: 's' }))).SecretString).toBe('two');
  });

  it('adds, overwrites and removes tags', async () => {
    await h.client.send(new CreateSecretCommand({ Name: 's', Tags: [{ Key: 'a', Value: '1' }] }));
    await h.client.send(
      new TagResourceCommand({
        SecretId: 's',
        Tags: [
          { Key: 'a', Value: '2' },
          { Key: 'b', Value: '3' },
        ],
      }),
    );
    let described = await h.client.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(described.Tags).toEqual([
      { Key: 'a', Value: '2' },
      { Key: 'b', Value: '3' },
    ]);
    await h.client.send(new UntagResourceCommand({ SecretId: 's', TagKeys: ['a', 'missing'] }));
    described = await h.client.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(described.Tags).toEqual([{ Key: 'b', Value: '3' }]);
  });

  it('is reachable through AWS_ENDPOINT_URL_SECRETS_MANAGER', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = h.emulator.url;
    const client = new SecretsManagerClient({
      region: 'eu-west-1',
      credentials: FAKE_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      await client.send(new CreateSecretCommand({ Name: 'via-env', SecretString: 'x' }));
      expect(h.emulator.secretNames()).toEqual(['via-env']);
    } finally {
      client.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
      else process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = saved;
    }
  });
});
