/** Tag quotas and naming rules, through the real SDK: what AWS refuses, and with which error. */

import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  InvalidParameterException,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSecrets } from '../../../local/secrets-emulator/persistence.ts';
import { type Harness, startHarness, stopHarness } from './harness.ts';

const tagsOf = (count: number, prefix = 'k') =>
  Array.from({ length: count }, (_, i) => ({ Key: `${prefix}${i}`, Value: `v${i}` }));

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error & { name: string },
  );

describe('secrets emulator: tags', () => {
  let h: Harness;

  const tags = async (SecretId = 's') =>
    (await h.client.send(new DescribeSecretCommand({ SecretId }))).Tags ?? [];

  beforeEach(async () => {
    h = await startHarness();
    await h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'x' }));
  });
  afterEach(async () => stopHarness(h));

  it('accepts 50 tags per secret and refuses the 51st, on create and on tag, leaving the secret as it was', async () => {
    await h.client.send(new CreateSecretCommand({ Name: 'full', Tags: tagsOf(50) }));
    expect(await tags('full')).toHaveLength(50);
    const overCreate = await errorOf(
      h.client.send(new CreateSecretCommand({ Name: 'over', Tags: tagsOf(51) })),
    );
    expect(overCreate).toBeInstanceOf(InvalidParameterException);
    expect(overCreate?.message).toMatch(/at most 50 tags/);
    expect(h.emulator.secretNames()).toEqual(['full', 's']);

    await h.client.send(new TagResourceCommand({ SecretId: 's', Tags: tagsOf(49) }));
    // Overwriting a key does not add a tag.
    await h.client.send(new TagResourceCommand({ SecretId: 's', Tags: [{ Key: 'k0', Value: 'new' }] }));
    await h.client.send(new TagResourceCommand({ SecretId: 's', Tags: [{ Key: 'last', Value: '' }] }));
    expect(await tags()).toHaveLength(50);
    const overTag = await errorOf(
      h.client.send(new TagResourceCommand({ SecretId: 's', Tags: [{ Key: 'one-more', Value: 'v' }] })),
    );
    expect(overTag).toBeInstanceOf(InvalidParameterException);
    expect((await tags()).map((tag) => tag.Key)).not.toContain('one-more');
  });

  it('reserves the aws: prefix (any case): such keys cannot be added or removed', async () => {
    for (const Key of ['aws:owner', 'AWS:Owner', 'Aws:x']) {
      const onTag = await errorOf(
        h.client.send(new TagResourceCommand({ SecretId: 's', Tags: [{ Key, Value: 'v' }] })),
      );
      expect(onTag, Key).toBeInstanceOf(InvalidParameterException);
      expect(onTag?.message).toMatch(/aws: prefix/);
      const onCreate = await errorOf(
        h.client.send(new CreateSecretCommand({ Name: 'n', Tags: [{ Key, Value: 'v' }] })),
      );
      expect(onCreate, Key).toBeInstanceOf(InvalidParameterException);
      await expect(
        h.client.send(new UntagResourceCommand({ SecretId: 's', TagKeys: [Key] })),
      ).rejects.toBeInstanceOf(InvalidParameterException);
    }
    // Only the prefix is reserved: "aws" elsewhere in a key, or in a value, is fine.
    await h.client.send(
      new TagResourceCommand({ SecretId: 's', Tags: [{ Key: 'team-aws:x', Value: 'aws:cloudformation' }] }),
    );
    expect(await tags()).toEqual([{ Key: 'team-aws:x', Value: 'aws:cloudformation' }]);
    expect(h.emulator.secretNames()).toEqual(['s']);
  });

  it('takes keys of 1..128 and values of 0..256 characters, refusing others with ValidationException', async () => {
    const longestKey = 'é'.repeat(128);
    const longestValue = `${'ü'.repeat(255)} `;
    await h.client.send(
      new TagResourceCommand({ SecretId: 's', Tags: [{ Key: longestKey, Value: longestValue }] }),
    );
    expect(await tags()).toEqual([{ Key: longestKey, Value: longestValue }]);
    for (const tag of [
      { Key: 'k'.repeat(129), Value: 'v' },
      { Key: '', Value: 'v' },
      { Key: 'k', Value: 'v'.repeat(257) },
    ]) {
      const error = await errorOf(h.client.send(new TagResourceCommand({ SecretId: 's', Tags: [tag] })));
      expect(error?.name).toBe('ValidationException');
      expect(error?.message).toMatch(/Tags\.0\.(Key|Value)/);
    }
    const untag = await errorOf(
      h.client.send(new UntagResourceCommand({ SecretId: 's', TagKeys: ['k'.repeat(129)] })),
    );
    expect(untag?.name).toBe('ValidationException');
  });

  it("accepts letters, numbers and spaces of any script and + - = . _ : / @, and refuses AWS's other characters", async () => {
    const fine = { Key: 'Équipe 1/ops_x-y.z=a+b@c:d', Value: '東京 ١٢٣ Ωmega' };
    await h.client.send(new TagResourceCommand({ SecretId: 's', Tags: [fine] }));
    expect(await tags()).toEqual([fine]);
    for (const tag of [
      { Key: 'has#hash', Value: 'v' },
      { Key: 'k', Value: 'semi;colon' },
      { Key: 'k', Value: 'key \u{1F511}' },
      { Key: 'tab\tkey', Value: 'v' },
      { Key: 'k', Value: 'quote"' },
    ]) {
      const error = await errorOf(h.client.send(new TagResourceCommand({ SecretId: 's', Tags: [tag] })));
      expect(error, JSON.stringify(tag)).toBeInstanceOf(InvalidParameterException);
      expect(error?.message).toMatch(/characters that are not allowed/);
    }
    await expect(
      h.client.send(new CreateSecretCommand({ Name: 'n', Tags: [{ Key: 'bad!', Value: 'v' }] })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    expect(await tags()).toEqual([fine]);
  });

  it('does not count tags AWS itself put under aws: against the quota', async () => {
    // Only AWS can add such tags: they are seeded through the data file.
    const dir = await fs.mkdtemp(join(tmpdir(), 'secrets-tags-'));
    const dataFile = join(dir, 'secrets.json');
    const seeded = await startHarness({ dataFile });
    await seeded.client.send(new CreateSecretCommand({ Name: 'svc', Tags: tagsOf(50) }));
    await stopHarness(seeded);
    const state = JSON.parse(await fs.readFile(dataFile, 'utf8')) as {
      secrets: { tags: { Key: string; Value: string }[] }[];
    };
    state.secrets[0]?.tags.push({ Key: 'aws:secretsmanager:owningService', Value: 'rds' });
    await fs.writeFile(dataFile, JSON.stringify(state));
    expect((await loadSecrets(dataFile))[0]?.tags).toHaveLength(51);
    const restarted = await startHarness({ dataFile });
    try {
      await restarted.client.send(
        new TagResourceCommand({ SecretId: 'svc', Tags: [{ Key: 'k0', Value: 'overwritten' }] }),
      );
      await expect(
        restarted.client.send(
          new TagResourceCommand({ SecretId: 'svc', Tags: [{ Key: 'k50', Value: 'v' }] }),
        ),
      ).rejects.toBeInstanceOf(InvalidParameterException);
    } finally {
      await stopHarness(restarted);
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
