import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EmulatorConfigError,
  EmulatorDataFileError,
  startSecretsManagerEmulator,
} from '../../../local/secrets-emulator/index.ts';
import { type Harness, startHarness, stopHarness } from './harness.ts';

describe('secrets emulator: persistence and options', () => {
  let dir: string;
  let h: Harness | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secrets-emulator-'));
  });
  afterEach(async () => {
    await stopHarness(h);
    h = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps secrets, versions, tags and scheduled deletions across a restart', async () => {
    const dataFile = join(dir, 'nested', 'secrets.json');
    h = await startHarness({ dataFile });
    const created = await h.client.send(
      new CreateSecretCommand({
        Name: 'kept',
        SecretString: 'one',
        Tags: [{ Key: 'tenantId', Value: 't-1' }],
      }),
    );
    const put = await h.client.send(new PutSecretValueCommand({ SecretId: 'kept', SecretString: 'two' }));
    await h.client.send(new CreateSecretCommand({ Name: 'retired', SecretString: 'x' }));
    await h.client.send(new DeleteSecretCommand({ SecretId: 'retired', RecoveryWindowInDays: 7 }));
    await stopHarness(h);

    h = await startHarness({ dataFile });
    const value = await h.client.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(value).toMatchObject({ SecretString: 'two', VersionId: put.VersionId });
    const described = await h.client.send(new DescribeSecretCommand({ SecretId: 'kept' }));
    expect(described.Tags).toEqual([{ Key: 'tenantId', Value: 't-1' }]);
    expect(described.VersionIdsToStages).toEqual({
      [created.VersionId!]: ['AWSPREVIOUS'],
      [put.VersionId!]: ['AWSCURRENT'],
    });
    const retired = await h.client.send(new DescribeSecretCommand({ SecretId: 'retired' }));
    expect(retired.DeletedDate).toBeInstanceOf(Date);
    expect(h.emulator.secretNames()).toEqual(['kept', 'retired']);
  });

  it('writes an owner-only JSON file and leaves no temporary files behind', async () => {
    const dataFile = join(dir, 'secrets.json');
    h = await startHarness({ dataFile });
    await h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'x' }));
    const saved = JSON.parse(await readFile(dataFile, 'utf8')) as { secrets: { name: string }[] };
    expect(saved.secrets.map((secret) => secret.name)).toEqual(['s']);
    expect((await stat(dataFile)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['secrets.json']);
  });

  it('refuses to start on a data file it cannot read back', async () => {
    const dataFile = join(dir, 'secrets.json');
    await writeFile(dataFile, '{"formatVersion": 1, "secrets": [{"name": 3}]}');
    await expect(startSecretsManagerEmulator({ dataFile })).rejects.toBeInstanceOf(EmulatorDataFileError);
    await writeFile(dataFile, 'not json');
    await expect(startSecretsManagerEmulator({ dataFile })).rejects.toBeInstanceOf(EmulatorDataFileError);
  });

  it('validates options once, naming the option', async () => {
    await expect(startSecretsManagerEmulator({ port: 70_000 })).rejects.toThrow(/port/);
    await expect(startSecretsManagerEmulator({ region: 'moon' })).rejects.toBeInstanceOf(EmulatorConfigError);
    await expect(startSecretsManagerEmulator({ accountId: '42' })).rejects.toThrow(/accountId/);
  });
});
