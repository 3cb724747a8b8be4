/**
 * Reads what the run left behind, straight from the emulators and the DLQ, with no fault rules
 * left in place: Twilio subaccounts, tenant secrets (tags, retirement, value), the tenant ledger
 * and dead letters.
 * Nothing here is ever printed with a token in it.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { runBounded } from '../../../functions/tenant-events/batch.ts';
import type { LocalCloud } from '../../../local/cloud.ts';
import type { AccountJson } from '../../../local/twilio-emulator/index.ts';
import { DLQ_ATTRIBUTE } from '../../../shared/contracts/dead-letter-attributes.ts';
import type { LedgerEntry } from '../../../shared/domain/ports.ts';
import { scanLedger } from '../../../shared/ledger/scan-ledger.ts';
import { createTwilioAccountsClient } from '../../../shared/twilio/index.ts';

export interface ObservedSecret {
  readonly name: string;
  readonly tenantId: string;
  readonly retired: boolean;
  readonly tags: ReadonlyMap<string, string>;
  /** The stored value's SID and token; `undefined` when retired (the value is unreadable then). */
  readonly credentials?: { readonly accountSid: string; readonly authToken: string };
  /** Why the value could not be used, when it is not retired. */
  readonly valueProblem?: string;
  /** Outcome of fetching the subaccount with its own SID and the stored token (active accounts only). */
  readonly login?: 'accepted' | string;
}

export interface ObservedDeadLetter {
  readonly dlqMessageId: string;
  /** Set by the handler; absent when SQS moved the message itself after maxReceiveCount receives. */
  readonly originalMessageId?: string;
  readonly errorCode?: string;
  readonly reason?: string;
  readonly tenantIdAttribute?: string;
  readonly groupId?: string;
  readonly body: string;
}

export interface Observed {
  readonly mainAccountSid: string;
  /** Every subaccount (the main account left out), in creation order. */
  readonly subaccounts: readonly AccountJson[];
  /** Tenant secrets by tenantId. */
  readonly secrets: ReadonlyMap<string, ObservedSecret>;
  /** Secret names that are neither the parent secret nor under the tenant prefix. */
  readonly strangerSecrets: readonly string[];
  readonly deadLetters: readonly ObservedDeadLetter[];
  /** Tenant ledger entries by tenantId. */
  readonly ledger: ReadonlyMap<string, LedgerEntry>;
}

const errorName = (error: unknown): string =>
  error instanceof Error ? `${error.name}${'code' in error ? ` ${String(error.code)}` : ''}` : String(error);

const parseCredentials = (value: string | undefined): ObservedSecret['credentials'] | string => {
  try {
    const parsed = JSON.parse(value ?? '') as { accountSid?: unknown; authToken?: unknown };
    if (typeof parsed.accountSid === 'string' && typeof parsed.authToken === 'string') {
      return { accountSid: parsed.accountSid, authToken: parsed.authToken };
    }
    return 'the value has no accountSid/authToken strings';
  } catch {
    return 'the value is not JSON';
  }
};

const loginWith = async (twilioUrl: string, accountSid: string, authToken: string): Promise<string> => {
  const own = createTwilioAccountsClient({
    credentials: { current: () => ({ accountSid, authToken }) },
    baseUrl: twilioUrl,
    retry: { maxAttempts: 1 },
  });
  try {
    const fetched = await own.fetchAccount(accountSid);
    return fetched.sid === accountSid ? 'accepted' : `fetched another account (${fetched.sid})`;
  } catch (error) {
    return `refused: ${errorName(error)}`;
  }
};

interface SecretReadContext {
  readonly client: SecretsManagerClient;
  readonly twilioUrl: string;
  readonly activeSids: ReadonlySet<string>;
}

const readSecret = async (
  ctx: SecretReadContext,
  name: string,
  tenantId: string,
): Promise<ObservedSecret> => {
  const described = await ctx.client.send(new DescribeSecretCommand({ SecretId: name }));
  const tags = new Map((described.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
  const base = { name, tenantId, tags, retired: described.DeletedDate !== undefined };
  if (base.retired) return base;
  const value = await ctx.client.send(new GetSecretValueCommand({ SecretId: name }));
  const credentials = parseCredentials(value.SecretString);
  if (typeof credentials === 'string' || credentials === undefined)
    return { ...base, valueProblem: credentials ?? 'no value' };
  // Twilio refuses every login of a suspended or closed account, so only active ones can be asked.
  if (!ctx.activeSids.has(credentials.accountSid)) return { ...base, credentials };
  return {
    ...base,
    credentials,
    login: await loginWith(ctx.twilioUrl, credentials.accountSid, credentials.authToken),
  };
};

const readSecrets = async (cloud: LocalCloud, subaccounts: readonly AccountJson[]) => {
  const prefix = `${cloud.env.SECRET_PREFIX}/`;
  const names = cloud.secrets.secretNames().filter((name) => name !== cloud.parentCredentialsSecretName);
  const ctx: SecretReadContext = {
    client: cloud.secretsClient,
    twilioUrl: cloud.twilio.url,
    activeSids: new Set(subaccounts.filter((a) => a.status === 'active').map((a) => a.sid)),
  };
  const secrets = new Map<string, ObservedSecret>();
  const tenantNames = names.filter((name) => name.startsWith(prefix));
  await runBounded(
    tenantNames.map((name) => async () => {
      const tenantId = name.slice(prefix.length);
      secrets.set(tenantId, await readSecret(ctx, name, tenantId));
    }),
    16,
  );
  return { secrets, strangerSecrets: names.filter((name) => !name.startsWith(prefix)) };
};

const attribute = (attributes: Record<string, { StringValue?: string }> | undefined, name: string) =>
  attributes?.[name]?.StringValue;

/** Receives and deletes everything: a FIFO queue holds back a group while one of its messages is in flight. */
export const drainDeadLetters = async (sqs: SQSClient, dlqUrl: string): Promise<ObservedDeadLetter[]> => {
  const seen: ObservedDeadLetter[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return seen;
    for (const message of Messages) {
      const attributes = message.MessageAttributes;
      seen.push({
        dlqMessageId: message.MessageId ?? '',
        originalMessageId: attribute(attributes, DLQ_ATTRIBUTE.originalMessageId),
        errorCode: attribute(attributes, DLQ_ATTRIBUTE.errorCode),
        reason: attribute(attributes, DLQ_ATTRIBUTE.reason),
        tenantIdAttribute: attribute(attributes, DLQ_ATTRIBUTE.tenantId),
        groupId: message.Attributes?.MessageGroupId,
        body: message.Body ?? '',
      });
    }
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: dlqUrl,
        Entries: Messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
  }
};

export const observe = async (cloud: LocalCloud): Promise<Observed> => {
  const subaccounts = cloud.twilio.accounts().filter((account) => account.sid !== cloud.twilio.accountSid);
  const { secrets, strangerSecrets } = await readSecrets(cloud, subaccounts);
  return {
    mainAccountSid: cloud.twilio.accountSid,
    subaccounts,
    secrets,
    strangerSecrets,
    deadLetters: await drainDeadLetters(cloud.sqs.client, cloud.sqs.dlqUrl),
    ledger: new Map(
      (await scanLedger(cloud.dynamodb.client, cloud.dynamodb.tableName)).map((entry) => [
        entry.tenantId,
        entry,
      ]),
    ),
  };
};
