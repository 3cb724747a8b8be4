/**
 * Runs `tenants` against the local cloud: in-process through `runCli` with captured streams (most
 * tests), or as a real child process through `bin/tenants.js` (exit codes and stderr as a shell
 * sees them). Seeds tenants the way the service makes them: through the tenant-events app.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateSecretCommand, DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CliIo } from '../../../cli/io.ts';
import { runCli } from '../../../cli/run.ts';
import { createTenantEventsApp } from '../../../functions/tenant-events/composition.ts';
import { readTenantEventsConfig } from '../../../functions/tenant-events/config.ts';
import { type LocalCloud, startLocalCloud } from '../../../local/cloud.ts';
import type { TenantEvent } from '../../../shared/domain/event.ts';
import type { TenantRecord } from '../../../shared/domain/ports.ts';
import { identityTags, markTags } from '../../../shared/secrets/tenant-tags.ts';
import { createTwilioAccountsClient, type TwilioAccountsClient } from '../../../shared/twilio/index.ts';
import { sqsRecord } from '../../helpers/sqs-records.ts';

const BIN = fileURLToPath(new URL('../../../bin/tenants.js', import.meta.url));

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliCloud {
  readonly cloud: LocalCloud;
  /** The environment an operator would export to point `tenants` at this cloud. */
  readonly env: Record<string, string>;
  readonly twilio: TwilioAccountsClient;
  stop(): Promise<void>;
}

export const startCliCloud = async (): Promise<CliCloud> => {
  const cloud = await startLocalCloud();
  return {
    cloud,
    env: { ...cloud.env, TENANT_EVENTS_QUEUE_URL: cloud.sqs.queueUrl },
    twilio: createTwilioAccountsClient({
      credentials: {
        current: () => ({ accountSid: cloud.twilio.accountSid, authToken: cloud.twilio.authToken }),
      },
      baseUrl: cloud.twilio.url,
    }),
    stop: () => cloud.stop(),
  };
};

const capture = (isTTY = false) => {
  let text = '';
  return {
    stream: { isTTY, write: (chunk: string) => (text += chunk) },
    text: () => text,
  };
};

/** One command line, in-process; sleeps are recorded instead of waited. */
export const runTenants = async (
  argv: readonly string[],
  env: Record<string, string | undefined>,
  options: { cwd?: string; sleeps?: number[] } = {},
): Promise<CliRun> => {
  const stdout = capture();
  const stderr = capture();
  const io: CliIo = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env,
    cwd: options.cwd ?? process.cwd(),
    now: () => new Date(),
    sleep: async (ms) => {
      options.sleeps?.push(ms);
    },
  };
  const code = await runCli(argv, io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
};

/** The real executable, as an operator's shell runs it. */
export const runTenantsProcess = (argv: readonly string[], env: Record<string, string>): Promise<CliRun> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...argv],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });

/**
 * Applies events with the real processor, as the function would (one batch). `env` overrides the
 * function's configuration, e.g. `CHURN_GRACE_DAYS` or `TENANT_CREDENTIALS`.
 */
export const applyEvents = async (
  cli: CliCloud,
  events: readonly TenantEvent[],
  env: Record<string, string> = {},
): Promise<void> => {
  const app = createTenantEventsApp(readTenantEventsConfig({ ...cli.env, ...env }), {
    secretsClient: cli.cloud.secretsClient,
    sqsClient: cli.cloud.sqs.client,
    dynamoDbClient: cli.cloud.dynamodb.client,
    eventBridgeClient: new EventBridgeClient({
      endpoint: cli.cloud.eventbridge.url,
      region: cli.cloud.region,
      credentials: cli.cloud.credentials,
    }),
    twilio: cli.twilio,
    logger: new Logger({ logLevel: 'SILENT' }),
    observer: { record: () => {} },
  });
  const response = await app.handleBatch(
    { Records: events.map((event) => sqsRecord(event, { groupId: event.tenantId })) },
    { getRemainingTimeInMillis: () => 30_000 },
  );
  if (response.batchItemFailures.length > 0) throw new Error('seeding events failed');
};

/** A tenant secret written directly, as a broken or hand-made state would leave it. */
export const putTenantSecret = async (
  cli: CliCloud,
  record: Omit<TenantRecord, 'retired' | 'friendlyName'> & { friendlyName?: string; retired?: boolean },
  authToken = '0123456789abcdef0123456789abcdef',
): Promise<void> => {
  const name = `tenants/${record.tenantId}`;
  const friendlyName = record.friendlyName ?? `tenant:${record.tenantId}`;
  await cli.cloud.secretsClient.send(
    new CreateSecretCommand({
      Name: name,
      SecretString: JSON.stringify({
        tenantId: record.tenantId,
        accountSid: record.accountSid,
        authToken,
        friendlyName,
        provisionedAt: record.lastEventAt,
        provisionedByEventId: record.lastEventId,
      }),
      Tags: [...identityTags(record.tenantId, friendlyName), ...markTags(record)],
    }),
  );
  if (record.retired) {
    await cli.cloud.secretsClient.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
  }
};

/** Receives everything visible (holding it for a minute): what landed on a queue. */
export const drainQueue = async (sqs: SQSClient, queueUrl: string) => {
  const received = [];
  for (;;) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
      }),
    );
    if (messages.length === 0) return received;
    received.push(...messages);
  }
};
