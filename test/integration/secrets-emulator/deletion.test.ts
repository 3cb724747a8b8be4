import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  RestoreSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, manualClock, startHarness, stopHarness } from './harness.ts';

const MARKED = /marked for deletion/;

describe('secrets emulator: deletion and restore', () => {
  let clock: ReturnType<typeof manualClock>;
  let h: Harness;

  beforeEach(async () => {
    clock = manualClock();
    h = await startHarness({ now: clock.now });
    await h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'value' }));
  });
  afterEach(async () => stopHarness(h));

  it('schedules deletion after 30 days by default and shows DeletedDate', async () => {
    const deleted = await h.client.send(new DeleteSecretCommand({ SecretId: 's' }));
    expect(deleted.Name).toBe('s');
    expect(deleted.DeletionDate?.getTime()).toBe(clock.now().getTime() + 30 * 86_400_000);
    const described = await h.client.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(described.DeletedDate).toEqual(clock.now());
  });

  it('honours RecoveryWindowInDays', async () => {
    const deleted = await h.client.send(new DeleteSecretCommand({ SecretId: 's', RecoveryWindowInDays: 7 }));
    expect(deleted.DeletionDate?.getTime()).toBe(clock.now().getTime() + 7 * 86_400_000);
  });

  it('refuses reads, writes, tags, updates and re-creation while scheduled', async () => {
    await h.client.send(new DeleteSecretCommand({ SecretId: 's', RecoveryWindowInDays: 7 }));
    const calls: Array<() => Promise<unknown>> = [
      () => h.client.send(new GetSecretValueCommand({ SecretId: 's' })),
      () => h.client.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'x' })),
      () => h.client.send(new UpdateSecretCommand({ SecretId: 's', Description: 'x' })),
      () => h.client.send(new TagResourceCommand({ SecretId: 's', Tags: [{ Key: 'k', Value: 'v' }] })),
      () => h.client.send(new UntagResourceCommand({ SecretId: 's', TagKeys: ['k'] })),
    ];
    for (const call of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestException);
      expect((error as Error).message).toMatch(MARKED);
    }
    await expect(h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'x' }))).rejects.toThrow(
      /already scheduled for deletion/,
    );
    await expect(h.client.send(new DeleteSecretCommand({ SecretId: 's' }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
  });

  it('hides scheduled secrets from ListSecrets unless IncludePlannedDeletion', async () => {
    await h.client.send(new CreateSecretCommand({ Name: 'kept', SecretString: 'x' }));
    await h.client.send(new DeleteSecretCommand({ SecretId: 's' }));
    const names = async (IncludePlannedDeletion?: boolean) =>
      (await h.client.send(new ListSecretsCommand({ IncludePlannedDeletion }))).SecretList?.map(
        (s) => s.Name,
      );
    expect(await names()).toEqual(['kept']);
    const all = await h.client.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
    expect(all.SecretList?.map((s) => s.Name)).toEqual(['s', 'kept']);
    expect(all.SecretList?.[0]?.DeletedDate).toEqual(clock.now());
  });

  it('restores a scheduled secret with its value', async () => {
    await h.client.send(new DeleteSecretCommand({ SecretId: 's' }));
    const restored = await h.client.send(new RestoreSecretCommand({ SecretId: 's' }));
    expect(restored.Name).toBe('s');
    const described = await h.client.send(new DescribeSecretCommand({ SecretId: 's' }));
    expect(described.DeletedDate).toBeUndefined();
    expect((await h.client.send(new GetSecretValueCommand({ SecretId: 's' }))).SecretString).toBe('value');
  });

  it('forgets a secret once its recovery window has passed', async () => {
    await h.client.send(new DeleteSecretCommand({ SecretId: 's', RecoveryWindowInDays: 7 }));
    clock.advanceDays(6);
    expect((await h.client.send(new DescribeSecretCommand({ SecretId: 's' }))).DeletedDate).toBeDefined();
    clock.advanceDays(1);
    await expect(h.client.send(new DescribeSecretCommand({ SecretId: 's' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(h.client.send(new RestoreSecretCommand({ SecretId: 's' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(h.emulator.secretNames()).toEqual([]);
    const recreated = await h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'new' }));
    expect(recreated.Name).toBe('s');
  });

  it('deletes at once with ForceDeleteWithoutRecovery, even when already scheduled', async () => {
    await h.client.send(new CreateSecretCommand({ Name: 'other', SecretString: 'x' }));
    const forced = await h.client.send(
      new DeleteSecretCommand({ SecretId: 's', ForceDeleteWithoutRecovery: true }),
    );
    expect(forced.DeletionDate).toEqual(clock.now());
    await expect(h.client.send(new DescribeSecretCommand({ SecretId: 's' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await h.client.send(new DeleteSecretCommand({ SecretId: 'other' }));
    await h.client.send(new DeleteSecretCommand({ SecretId: 'other', ForceDeleteWithoutRecovery: true }));
    expect(h.emulator.secretNames()).toEqual([]);
    const recreated = await h.client.send(new CreateSecretCommand({ Name: 's', SecretString: 'again' }));
    expect(recreated.ARN).not.toBe(forced.ARN);
  });

  it('succeeds forcing the delete of a secret that does not exist, or no longer does', async () => {
    const missing = await h.client.send(
      new DeleteSecretCommand({ SecretId: 'never-existed', ForceDeleteWithoutRecovery: true }),
    );
    expect(missing).toMatchObject({ Name: 'never-existed', DeletionDate: clock.now() });
    expect(missing.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:never-existed-\w{6}$/);
    const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:gone-AbCdEf';
    const byArn = await h.client.send(
      new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true }),
    );
    expect(byArn.ARN).toBe(arn);
    // A retried forced delete (the first answer was lost) succeeds too.
    await h.client.send(new DeleteSecretCommand({ SecretId: 's', ForceDeleteWithoutRecovery: true }));
    await h.client.send(new DeleteSecretCommand({ SecretId: 's', ForceDeleteWithoutRecovery: true }));
    expect(h.emulator.secretNames()).toEqual([]);
    // Without force, a missing secret is still not found, and force with a window still refused.
    await expect(
      h.client.send(new DeleteSecretCommand({ SecretId: 'never-existed' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      h.client.send(
        new DeleteSecretCommand({
          SecretId: 'never-existed',
          RecoveryWindowInDays: 7,
          ForceDeleteWithoutRecovery: true,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('rejects a recovery window outside 7..30 days, and combining it with force', async () => {
    for (const RecoveryWindowInDays of [6, 31]) {
      await expect(
        h.client.send(new DeleteSecretCommand({ SecretId: 's', RecoveryWindowInDays })),
      ).rejects.toBeInstanceOf(InvalidParameterException);
    }
    await expect(
      h.client.send(
        new DeleteSecretCommand({ SecretId: 's', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true }),
      ),
    ).rejects.toThrow(/ForceDeleteWithoutRecovery/);
    expect((await h.client.send(new DescribeSecretCommand({ SecretId: 's' }))).DeletedDate).toBeUndefined();
  });

  it('treats RestoreSecret of a live secret as a no-op and of an unknown one as not found', async () => {
    await expect(h.client.send(new RestoreSecretCommand({ SecretId: 's' }))).resolves.toMatchObject({
      Name: 's',
    });
    await expect(h.client.send(new RestoreSecretCommand({ SecretId: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});
