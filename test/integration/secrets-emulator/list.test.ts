import {
  CreateSecretCommand,
  GetSecretValueCommand,
  InvalidNextTokenException,
  ListSecretsCommand,
  type ListSecretsCommandInput,
  PutSecretValueCommand,
  paginateListSecrets,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, manualClock, startHarness, stopHarness } from './harness.ts';

describe('secrets emulator: ListSecrets', () => {
  let clock: ReturnType<typeof manualClock>;
  let h: Harness;

  const names = async (input: ListSecretsCommandInput): Promise<string[]> =>
    ((await h.client.send(new ListSecretsCommand(input))).SecretList ?? []).map(
      (secret) => secret.Name ?? '',
    );

  beforeEach(async () => {
    clock = manualClock();
    h = await startHarness({ now: clock.now });
    const secrets = [
      {
        Name: 'tenants/acme',
        Description: 'Acme Corp credentials',
        Tags: [{ Key: 'tenantId', Value: 'acme' }],
      },
      {
        Name: 'tenants/globex',
        Description: 'Globex credentials',
        Tags: [{ Key: 'tenantId', Value: 'globex' }],
      },
      { Name: 'platform/parent', Description: 'Main account', Tags: [{ Key: 'Owner', Value: 'platform' }] },
    ];
    for (const secret of secrets) {
      await h.client.send(new CreateSecretCommand({ ...secret, SecretString: 'x' }));
      clock.advanceMs(1_000);
    }
  });
  afterEach(async () => stopHarness(h));

  it('lists metadata and version stages, never values', async () => {
    const put = await h.client.send(
      new PutSecretValueCommand({ SecretId: 'tenants/acme', SecretString: 'y' }),
    );
    const list = await h.client.send(new ListSecretsCommand({}));
    expect(list.NextToken).toBeUndefined();
    const acme = list.SecretList?.find((secret) => secret.Name === 'tenants/acme');
    expect(acme).toMatchObject({
      Description: 'Acme Corp credentials',
      Tags: [{ Key: 'tenantId', Value: 'acme' }],
    });
    expect(acme?.SecretVersionsToStages?.[put.VersionId!]).toEqual(['AWSCURRENT']);
    expect(JSON.stringify(list.SecretList)).not.toMatch(/SecretString/);
  });

  it('filters by name prefix (case-sensitive), tag key, tag value and description', async () => {
    expect(await names({ Filters: [{ Key: 'name', Values: ['tenants/'] }] })).toEqual([
      'tenants/acme',
      'tenants/globex',
    ]);
    expect(await names({ Filters: [{ Key: 'name', Values: ['Tenants/'] }] })).toEqual([]);
    expect(await names({ Filters: [{ Key: 'tag-key', Values: ['Own'] }] })).toEqual(['platform/parent']);
    expect(await names({ Filters: [{ Key: 'tag-value', Values: ['glo'] }] })).toEqual(['tenants/globex']);
    expect(await names({ Filters: [{ Key: 'description', Values: ['acme'] }] })).toEqual(['tenants/acme']);
  });

  it('ORs the values of a filter, ANDs filters, and negates with !', async () => {
    expect(await names({ Filters: [{ Key: 'tag-value', Values: ['acme', 'platform'] }] })).toEqual([
      'tenants/acme',
      'platform/parent',
    ]);
    expect(
      await names({
        Filters: [
          { Key: 'name', Values: ['tenants/'] },
          { Key: 'tag-value', Values: ['globex'] },
        ],
      }),
    ).toEqual(['tenants/globex']);
    expect(await names({ Filters: [{ Key: 'name', Values: ['!tenants/'] }] })).toEqual(['platform/parent']);
  });

  it('searches every attribute with the all filter, ignoring case', async () => {
    expect(await names({ Filters: [{ Key: 'all', Values: ['CORP'] }] })).toEqual(['tenants/acme']);
    expect(await names({ Filters: [{ Key: 'all', Values: ['platform'] }] })).toEqual(['platform/parent']);
  });

  it('sorts by creation date or name, ascending or descending', async () => {
    expect(await names({})).toEqual(['tenants/acme', 'tenants/globex', 'platform/parent']);
    expect(await names({ SortOrder: 'desc' })).toEqual(['platform/parent', 'tenants/globex', 'tenants/acme']);
    expect(await names({ SortBy: 'name' })).toEqual(['platform/parent', 'tenants/acme', 'tenants/globex']);
  });

  it('pages with MaxResults and NextToken, and the SDK paginator walks every page', async () => {
    const first = await h.client.send(new ListSecretsCommand({ MaxResults: 2 }));
    expect(first.SecretList?.map((s) => s.Name)).toEqual(['tenants/acme', 'tenants/globex']);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await h.client.send(new ListSecretsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(second.SecretList?.map((s) => s.Name)).toEqual(['platform/parent']);
    expect(second.NextToken).toBeUndefined();

    const seen: string[] = [];
    for await (const page of paginateListSecrets({ client: h.client, pageSize: 1 }, {})) {
      seen.push(...(page.SecretList ?? []).map((s) => s.Name ?? ''));
    }
    expect(seen).toEqual(['tenants/acme', 'tenants/globex', 'platform/parent']);
    expect(h.emulator.stats().byOperation.ListSecrets).toBe(2 + 3);
  });

  it('sorts by last accessed date', async () => {
    await h.client.send(new GetSecretValueCommand({ SecretId: 'tenants/globex' }));
    expect((await names({ SortBy: 'last-accessed-date', SortOrder: 'desc' }))[0]).toBe('tenants/globex');
  });

  it('rejects MaxResults outside 1..100, unknown filter keys and foreign tokens', async () => {
    for (const MaxResults of [0, 101]) {
      await expect(h.client.send(new ListSecretsCommand({ MaxResults }))).rejects.toMatchObject({
        name: 'ValidationException',
      });
    }
    await expect(
      // biome-ignore lint/suspicious/noExplicitAny: an invalid key on purpose
      h.client.send(new ListSecretsCommand({ Filters: [{ Key: 'colour' as any, Values: ['x'] }] })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(h.client.send(new ListSecretsCommand({ NextToken: 'not-a-token' }))).rejects.toBeInstanceOf(
      InvalidNextTokenException,
    );
  });
});
