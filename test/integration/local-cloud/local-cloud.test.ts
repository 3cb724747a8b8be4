import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, LocalCloudOptionError, startLocalCloud } from '../../../local/cloud.ts';
import { startEventSourceRunner } from '../../../local/runner/index.ts';

const PROBE_HANDLER = join(import.meta.dirname, '../../helpers/handlers/local-cloud-probe.ts');

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

const portIsOpen = (url: string): Promise<boolean> =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Runs `body` with the cloud's env applied to process.env, as a deployed function would see it. */
const withEnv = async <T>(env: Record<string, string>, body: () => Promise<T>): Promise<T> => {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
};

describe('startLocalCloud', () => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await startLocalCloud({
      maxReceiveCount: 3,
      visibilityTimeoutSeconds: 2,
      region: 'eu-central-1',
    });
  });

  afterAll(async () => {
    await cloud.stop();
  });

  it('puts every service on a loopback port and describes them in env', () => {
    const urls = [
      cloud.twilio.url,
      cloud.secrets.url,
      cloud.sqs.url,
      cloud.dynamodb.url,
      cloud.eventbridge.url,
    ];
    for (const url of urls) expect(new URL(url).hostname).toBe('127.0.0.1');
    expect(new Set(urls).size).toBe(5);
    expect(cloud.env).toEqual({
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: cloud.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: cloud.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_SQS: cloud.sqs.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: cloud.secrets.url,
      AWS_ENDPOINT_URL_DYNAMODB: cloud.dynamodb.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: cloud.eventbridge.url,
      TENANT_LEDGER_TABLE: 'subaccount-provisioner-tenant-ledger',
      TWILIO_API_BASE_URL: cloud.twilio.url,
      PARENT_CREDENTIALS_SECRET: 'subaccount-provisioner/parent-credentials',
      DEAD_LETTER_QUEUE_URL: cloud.sqs.dlqUrl,
      SECRET_PREFIX: 'tenants',
    });
  });

  it('creates the queue topology with the requested redrive and visibility settings', async () => {
    const { Attributes: attributes = {} } = await cloud.sqs.client.send(
      new GetQueueAttributesCommand({ QueueUrl: cloud.sqs.queueUrl, AttributeNames: ['All'] }),
    );
    expect(attributes.FifoQueue).toBe('true');
    expect(attributes.VisibilityTimeout).toBe('2');
    expect(JSON.parse(attributes.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: cloud.sqs.dlqArn,
      maxReceiveCount: 3,
    });
    expect(cloud.sqs.queueArn).toBe('arn:aws:sqs:eu-central-1:000000000000:tenant-events.fifo');
  });

  it("stores the Twilio emulator's main credentials as the parent secret, readable through env alone", async () => {
    const secret = await withEnv(cloud.env, async () => {
      const client = new SecretsManagerClient({});
      try {
        return await client.send(
          new GetSecretValueCommand({ SecretId: cloud.env.PARENT_CREDENTIALS_SECRET }),
        );
      } finally {
        client.destroy();
      }
    });
    expect(JSON.parse(secret.SecretString ?? '')).toEqual({
      accountSid: cloud.twilio.accountSid,
      authToken: cloud.twilio.authToken,
    });
    expect(secret.ARN).toMatch(
      /^arn:aws:secretsmanager:eu-central-1:000000000000:secret:subaccount-provisioner\/parent-credentials-/,
    );
    expect(cloud.secrets.secretNames()).toEqual(['subaccount-provisioner/parent-credentials']);
  });

  it('lets an SQS client configured only by env use the queue and the DLQ URLs', async () => {
    const received = await withEnv(cloud.env, async () => {
      const client = new SQSClient({});
      try {
        await client.send(
          new SendMessageCommand({
            QueueUrl: cloud.env.DEAD_LETTER_QUEUE_URL,
            MessageBody: 'via env',
            MessageGroupId: 't-env',
            MessageDeduplicationId: 'env-1',
          }),
        );
        return await client.send(
          new ReceiveMessageCommand({ QueueUrl: cloud.sqs.dlqUrl, WaitTimeSeconds: 0 }),
        );
      } finally {
        client.destroy();
      }
    });
    expect(received.Messages?.map((message) => message.Body)).toEqual(['via env']);
  });

  describe('with a handler module driven by the event source runner', () => {
    let markerDir: string;

    afterEach(() => {
      rmSync(markerDir, { recursive: true, force: true });
    });

    it('runs it against every local service through env only', async () => {
      markerDir = mkdtempSync(join(tmpdir(), 'local-cloud-'));
      const sent = await cloud.sqs.client.send(
        new SendMessageCommand({
          QueueUrl: cloud.sqs.queueUrl,
          MessageBody: '{"probe":true}',
          MessageGroupId: 'tenant-probe',
          MessageDeduplicationId: 'probe-1',
        }),
      );
      const runner = await startEventSourceRunner({
        sqs: cloud.sqs.client,
        queueUrl: cloud.sqs.queueUrl,
        queueArn: cloud.sqs.queueArn,
        region: cloud.region,
        handlerModule: { path: PROBE_HANDLER, env: { ...cloud.env, MARKER_DIR: markerDir } },
      });
      try {
        await runner.drained();
      } finally {
        await runner.stop();
      }
      expect(runner.stats()).toMatchObject({ invocations: 1, succeeded: 1, failed: 0 });
      const seen = JSON.parse(readFileSync(join(markerDir, `${sent.MessageId}.json`), 'utf8'));
      expect(seen).toEqual({ httpStatus: 200, sid: cloud.twilio.accountSid, status: 'active' });
      const forwarded = await cloud.sqs.client.send(
        new ReceiveMessageCommand({
          QueueUrl: cloud.sqs.dlqUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
        }),
      );
      expect(forwarded.Messages?.map((message) => message.Body)).toContain('{"probe":true}');
    });
  });
});

describe('startLocalCloud options and shutdown', () => {
  it('honours a custom secret name and prefix, and stop() frees every port', async () => {
    const cloud = await startLocalCloud({
      parentCredentialsSecretName: 'ops/twilio-main',
      secretPrefix: 'acme/tenants',
    });
    expect(cloud.region).toBe('us-east-1');
    expect(cloud.env.PARENT_CREDENTIALS_SECRET).toBe('ops/twilio-main');
    expect(cloud.env.SECRET_PREFIX).toBe('acme/tenants');
    expect(cloud.secrets.secretNames()).toEqual(['ops/twilio-main']);
    const urls = [cloud.twilio.url, cloud.secrets.url, cloud.sqs.url];
    for (const url of urls) expect(await portIsOpen(url)).toBe(true);
    await cloud.stop();
    for (const url of urls) expect(await portIsOpen(url)).toBe(false);
    await expect(cloud.stop()).resolves.toBeUndefined();
  });

  it('rejects invalid options, naming them, before starting anything', async () => {
    await expect(startLocalCloud({ parentCredentialsSecretName: '' })).rejects.toBeInstanceOf(
      LocalCloudOptionError,
    );
    const error = await startLocalCloud({ maxReceiveCount: 0 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'QUEUE_TOPOLOGY_INVALID_OPTION',
      context: { option: 'maxReceiveCount' },
    });
  });

  it('releases what it already started when a later part fails to start', async () => {
    const port = await freePort();
    // The Twilio emulator starts first; the Secrets Manager emulator then refuses its options.
    const error = await startLocalCloud({ twilio: { port }, secrets: { accountId: 'not-12-digits' } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('accountId');
    expect(await portIsOpen(`http://127.0.0.1:${port}`)).toBe(false);
  });
});
