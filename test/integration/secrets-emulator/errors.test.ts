import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerServiceException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, rawCall, startHarness, stopHarness, token } from './harness.ts';

const OPERATIONS = [
  'CreateSecret',
  'GetSecretValue',
  'PutSecretValue',
  'DescribeSecret',
  'UpdateSecret',
  'ListSecrets',
  'ListSecretVersionIds',
  'UpdateSecretVersionStage',
  'TagResource',
  'UntagResource',
  'DeleteSecret',
  'RestoreSecret',
];

describe('secrets emulator: errors', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => stopHarness(h));

  it('answers ResourceNotFoundException, as the SDK class, for every call on an unknown secret', async () => {
    const SecretId = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:missing-AbCdEf';
    const calls: Array<() => Promise<unknown>> = [
      () => h.client.send(new GetSecretValueCommand({ SecretId })),
      () => h.client.send(new PutSecretValueCommand({ SecretId, SecretString: 'x' })),
      () => h.client.send(new DescribeSecretCommand({ SecretId })),
      () => h.client.send(new ListSecretVersionIdsCommand({ SecretId })),
      () =>
        h.client.send(
          new UpdateSecretVersionStageCommand({ SecretId, VersionStage: 'x', MoveToVersionId: token(1) }),
        ),
      () => h.client.send(new UpdateSecretCommand({ SecretId, Description: 'x' })),
      () => h.client.send(new TagResourceCommand({ SecretId, Tags: [{ Key: 'k', Value: 'v' }] })),
      () => h.client.send(new UntagResourceCommand({ SecretId, TagKeys: ['k'] })),
      () => h.client.send(new DeleteSecretCommand({ SecretId })),
      () => h.client.send(new RestoreSecretCommand({ SecretId })),
    ];
    for (const call of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(400);
    }
  });

  it('answers InvalidParameterException for both value kinds at once and for a bad name', async () => {
    await expect(
      h.client.send(
        new CreateSecretCommand({ Name: 's', SecretString: 'x', SecretBinary: new Uint8Array([1]) }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(h.client.send(new CreateSecretCommand({ Name: 'bad name!' }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    expect(h.emulator.secretNames()).toEqual([]);
  });

  it('answers ValidationException for missing required fields', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: a required field left out on purpose
    const error = await h.client.send(new GetSecretValueCommand({} as any)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretsManagerServiceException);
    expect(error).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/SecretId/) });
  });

  it('uses the AWS JSON error shape with the x-amzn-errortype header', async () => {
    const response = await rawCall(h.emulator.url, 'secretsmanager.DescribeSecret', '{"SecretId":"nope"}');
    expect(response.status).toBe(400);
    expect(response.errorType).toBe('ResourceNotFoundException');
    expect(response.json).toEqual({
      __type: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
    });
  });

  it('answers ValidationException for a malformed body', async () => {
    const cases = [
      await rawCall(h.emulator.url, 'secretsmanager.CreateSecret', '{"Name": '),
      await rawCall(h.emulator.url, 'secretsmanager.CreateSecret', '["Name"]'),
    ];
    for (const response of cases) {
      expect(response.status).toBe(400);
      expect(response.json.__type).toBe('ValidationException');
    }
  });

  it('answers UnknownOperationException (400) for a request that names no known operation', async () => {
    const cases = [
      // Unknown even with a malformed body: the operation is looked up first, as AWS's front end does.
      await rawCall(h.emulator.url, 'secretsmanager.RotateEverything', '{"broken'),
      await rawCall(h.emulator.url, 'secretsmanager.', '{}'),
      await rawCall(h.emulator.url, 'kms.CreateSecret', '{}'),
      await rawCall(h.emulator.url, undefined, '{}'),
      await rawCall(h.emulator.url, 'secretsmanager.ListSecrets', '', { method: 'GET' }),
    ];
    for (const response of cases) {
      expect(response.status).toBe(400);
      expect(response.errorType).toBe('UnknownOperationException');
      expect(response.json.__type).toBe('UnknownOperationException');
    }
    expect(h.emulator.secretNames()).toEqual([]);
  });

  it('surfaces an unknown operation through the real SDK as UnknownOperationException', async () => {
    // The SDK only sends operations it knows: a client of a newer API meeting an older emulator.
    class FutureCommand extends ListSecretsCommand {}
    const command = new FutureCommand({});
    command.middlewareStack.add(
      (next) => (args) => {
        const request = args.request as { headers: Record<string, string> };
        request.headers['x-amz-target'] = 'secretsmanager.BatchGetSecretValueFromTheFuture';
        return next(args);
      },
      { step: 'build', name: 'rewriteTarget' },
    );
    const error = await h.client.send(command).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretsManagerServiceException);
    expect(error).toMatchObject({
      name: 'UnknownOperationException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('never answers 500 to badly typed input', async () => {
    const bodies = [
      '{}',
      'null',
      '{"SecretId": 5, "Name": [], "Tags": "x", "TagKeys": {}, "MaxResults": "a", "Filters": 1}',
      '{"SecretId": "s", "Name": "s", "SecretString": 7, "VersionStages": [], "RecoveryWindowInDays": 1.5}',
      '{"SecretId": "s", "Name": "s", "SecretBinary": "@@not base64@@", "Tags": [{"Value": "v"}]}',
      '{"SecretId": "", "Name": "", "TagKeys": [""], "Filters": [{"Key": "name"}], "SortOrder": "up"}',
    ];
    for (const operation of OPERATIONS) {
      for (const body of bodies) {
        const response = await rawCall(h.emulator.url, `secretsmanager.${operation}`, body);
        expect(response.status, `${operation} ${body}`).toBeLessThan(500);
      }
    }
  });

  it('keeps secret values out of error messages', async () => {
    const value = `do-not-echo-${'x'.repeat(65_536)}`;
    const error = await h.client.send(new CreateSecretCommand({ Name: 's', SecretString: value })).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ name: 'ValidationException' });
    expect(error?.message).not.toMatch(/do-not-echo/);
  });
});
