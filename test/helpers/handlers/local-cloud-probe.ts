import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';

/**
 * A handler module that reaches every local service purely through the environment a deployed
 * function would get (no endpoint in code): it reads the parent credentials secret, fetches the
 * main account from Twilio with them, forwards the record to the DEAD_LETTER_QUEUE_URL and writes
 * what it saw (never the token) to MARKER_DIR.
 */
const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
};

const secrets = new SecretsManagerClient({});
const sqs = new SQSClient({});

export const handler = async (event: SQSEvent): Promise<void> => {
  const secret = await secrets.send(
    new GetSecretValueCommand({ SecretId: required('PARENT_CREDENTIALS_SECRET') }),
  );
  const { accountSid, authToken } = JSON.parse(secret.SecretString ?? '{}') as {
    accountSid: string;
    authToken: string;
  };
  const response = await fetch(`${required('TWILIO_API_BASE_URL')}/2010-04-01/Accounts/${accountSid}.json`, {
    headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}` },
  });
  const account = (await response.json()) as { sid?: string; status?: string };
  for (const record of event.Records) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: required('DEAD_LETTER_QUEUE_URL'),
        MessageBody: record.body,
        MessageGroupId: record.attributes.MessageGroupId,
        MessageDeduplicationId: record.messageId,
      }),
    );
    const seen = { httpStatus: response.status, sid: account.sid, status: account.status };
    writeFileSync(join(required('MARKER_DIR'), `${record.messageId}.json`), JSON.stringify(seen));
  }
};
