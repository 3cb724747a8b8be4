/** UpdateSecretVersionStage and ListSecretVersionIds through the real SDK, as AWS documents them. */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidNextTokenException,
  InvalidParameterException,
  InvalidRequestException,
  LimitExceededException,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, manualClock, startHarness, stopHarness, token } from './harness.ts';

const V1 = token(1);
const V2 = token(2);
const V3 = token(3);

describe('secrets emulator: UpdateSecretVersionStage and ListSecretVersionIds', () => {
  let clock: ReturnType<typeof manualClock>;
  let h: Harness;

  const stages = async (): Promise<Record<string, string[]>> =>
    (await h.client.send(new DescribeSecretCommand({ SecretId: 's' }))).VersionIdsToStages ?? {};
  const currentValue = async () =>
    (await h.client.send(new GetSecretValueCommand({ SecretId: 's' }))).SecretString;
  const move = (input: { VersionStage: string; MoveToVersionId?: string; RemoveFromVersionId?: string }) =>
    h.client.send(new UpdateSecretVersionStageCommand({ SecretId: 's', ...input }));

  beforeEach(async () => {
    clock = manualClock();
    h = await startHarness({ now: clock.now });
    await h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'one', ClientRequestToken: V1 }));
    clock.advanceMs(1000);
    await h.client.send(
      new PutSecretValueCommand({ SecretId: 's', SecretString: 'two', ClientRequestToken: V2 }),
    );
    clock.advanceMs(1000);
    await h.client.send(
      new PutSecretValueCommand({ SecretId: 's', SecretString: 'three', ClientRequestToken: V3 }),
    );
  });
  afterEach(async () => stopHarness(h));

  it('rolls back: moving AWSCURRENT to the previous version moves AWSPREVIOUS to the one it left', async () => {
    expect(await stages()).toEqual({ [V2]: ['AWSPREVIOUS'], [V3]: ['AWSCURRENT'] });
    const answer = await move({ VersionStage: 'AWSCURRENT', MoveToVersionId: V2, RemoveFromVersionId: V3 });
    expect(answer).toMatchObject({ Name: 's', ARN: expect.stringContaining(':secret:s-') });
    expect(await stages()).toEqual({ [V2]: ['AWSCURRENT'], [V3]: ['AWSPREVIOUS'] });
    expect(await currentValue()).toBe('two');
    // V1 lost its last label long ago: deprecated, so not in VersionIdsToStages.
  });

  it('moves AWSCURRENT to a deprecated version, which takes AWSPREVIOUS off the version holding it', async () => {
    await move({ VersionStage: 'AWSCURRENT', MoveToVersionId: V1, RemoveFromVersionId: V3 });
    expect(await stages()).toEqual({ [V1]: ['AWSCURRENT'], [V3]: ['AWSPREVIOUS'] });
    expect(await currentValue()).toBe('one');
  });

  it('refuses to move a label held by another version unless RemoveFromVersionId names that version', async () => {
    await expect(move({ VersionStage: 'AWSCURRENT', MoveToVersionId: V2 })).rejects.toThrow(
      new RegExp(`RemoveFromVersionId can't be empty.*attached to version ${V3}`),
    );
    const wrong = await move({
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: V1,
      RemoveFromVersionId: V2,
    }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(InvalidParameterException);
    expect((wrong as Error).message).toMatch(/doesn't match/);
    expect(await stages()).toEqual({ [V2]: ['AWSPREVIOUS'], [V3]: ['AWSCURRENT'] });
  });

  it('adds a custom label, moves it, removes it; a version left without labels is deprecated', async () => {
    await move({ VersionStage: 'blue', MoveToVersionId: V1 });
    expect(await stages()).toEqual({ [V1]: ['blue'], [V2]: ['AWSPREVIOUS'], [V3]: ['AWSCURRENT'] });
    await move({ VersionStage: 'blue', MoveToVersionId: V2, RemoveFromVersionId: V1 });
    expect(await stages()).toEqual({ [V2]: ['AWSPREVIOUS', 'blue'], [V3]: ['AWSCURRENT'] });
    // Moving it to the version that already holds it changes nothing.
    await move({ VersionStage: 'blue', MoveToVersionId: V2 });
    await move({ VersionStage: 'blue', RemoveFromVersionId: V2 });
    await move({ VersionStage: 'AWSPREVIOUS', RemoveFromVersionId: V2 });
    expect(await stages()).toEqual({ [V3]: ['AWSCURRENT'] });
    const all = await h.client.send(
      new ListSecretVersionIdsCommand({ SecretId: 's', IncludeDeprecated: true }),
    );
    expect(all.Versions?.map((v) => [v.VersionId, v.VersionStages])).toEqual([
      [V1, []],
      [V2, []],
      [V3, ['AWSCURRENT']],
    ]);
  });

  it('keeps exactly one AWSCURRENT: it cannot be removed without being moved', async () => {
    await expect(move({ VersionStage: 'AWSCURRENT', RemoveFromVersionId: V3 })).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(move({ VersionStage: 'AWSCURRENT' })).rejects.toBeInstanceOf(InvalidParameterException);
    expect(await currentValue()).toBe('three');
  });

  it('refuses versions the secret does not have, and labels a version does not hold', async () => {
    await expect(move({ VersionStage: 'blue', MoveToVersionId: token(9) })).rejects.toThrow(
      /MoveToVersionId/,
    );
    await expect(move({ VersionStage: 'blue', RemoveFromVersionId: token(9) })).rejects.toThrow(
      /RemoveFromVersionId/,
    );
    await expect(move({ VersionStage: 'blue', RemoveFromVersionId: V3 })).rejects.toThrow(/not attached/);
    await expect(move({ VersionStage: 'blue', MoveToVersionId: 'short' })).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('caps the staging labels of a secret at 20', async () => {
    // AWSCURRENT and AWSPREVIOUS are two of them.
    for (let i = 0; i < 18; i += 1) await move({ VersionStage: `label-${i}`, MoveToVersionId: V1 });
    await expect(move({ VersionStage: 'one-too-many', MoveToVersionId: V1 })).rejects.toBeInstanceOf(
      LimitExceededException,
    );
    // Moving an existing label is still fine.
    await move({ VersionStage: 'label-0', MoveToVersionId: V2, RemoveFromVersionId: V1 });
  });

  it('refuses to relabel a secret scheduled for deletion, but still lists its versions', async () => {
    await h.client.send(new DeleteSecretCommand({ SecretId: 's' }));
    await expect(move({ VersionStage: 'blue', MoveToVersionId: V1 })).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    const listed = await h.client.send(new ListSecretVersionIdsCommand({ SecretId: 's' }));
    expect(listed.Versions?.map((v) => v.VersionId)).toEqual([V2, V3]);
  });

  it('lists labelled versions with their creation dates, deprecated ones only on request', async () => {
    const listed = await h.client.send(new ListSecretVersionIdsCommand({ SecretId: 's' }));
    expect(listed).toMatchObject({ Name: 's', ARN: expect.stringContaining(':secret:s-') });
    expect(listed.NextToken).toBeUndefined();
    expect(listed.Versions).toEqual([
      { VersionId: V2, VersionStages: ['AWSPREVIOUS'], CreatedDate: new Date(clock.now().getTime() - 1000) },
      { VersionId: V3, VersionStages: ['AWSCURRENT'], CreatedDate: clock.now() },
    ]);
    const all = await h.client.send(
      new ListSecretVersionIdsCommand({ SecretId: 's', IncludeDeprecated: true }),
    );
    expect(all.Versions?.map((v) => v.VersionId)).toEqual([V1, V2, V3]);
  });

  it('pages with MaxResults and NextToken, and refuses a token it did not issue', async () => {
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await h.client.send(
        new ListSecretVersionIdsCommand({ SecretId: 's', IncludeDeprecated: true, MaxResults: 2, NextToken }),
      );
      expect(page.Versions?.length).toBeLessThanOrEqual(2);
      seen.push(...(page.Versions ?? []).map((v) => v.VersionId ?? ''));
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    expect(seen).toEqual([V1, V2, V3]);
    await expect(
      h.client.send(new ListSecretVersionIdsCommand({ SecretId: 's', NextToken: 'not-ours' })),
    ).rejects.toBeInstanceOf(InvalidNextTokenException);
    await expect(
      h.client.send(new ListSecretVersionIdsCommand({ SecretId: 's', MaxResults: 101 })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
