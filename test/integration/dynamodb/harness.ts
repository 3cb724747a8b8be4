import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../local/dynamodb/index.ts';
import type { LocalDynamoDbOptions } from '../../../local/dynamodb/options.ts';
import { LOCAL_AWS_CREDENTIALS } from '../../../local/sqs/credentials.ts';

export interface Harness {
  db: LocalDynamoDb;
  /** Straight to dynalite: what the table really holds, whatever the proxy's faults. */
  direct: DynamoDBClient;
}

export const startHarness = async (options: LocalDynamoDbOptions = {}): Promise<Harness> => {
  const db = await startLocalDynamoDb(options);
  const direct = new DynamoDBClient({
    endpoint: db.directUrl,
    region: db.region,
    credentials: { ...LOCAL_AWS_CREDENTIALS },
    maxAttempts: 1,
  });
  return { db, direct };
};

export const stopHarness = async (harness: Harness | undefined): Promise<void> => {
  harness?.direct.destroy();
  await harness?.db.close();
};

export const key = (tenantId: string) => ({ tenantId: { S: tenantId } });

/** The item as dynalite holds it, read consistently and without any fault. */
export const storedItem = async (harness: Harness, tenantId: string) =>
  (
    await harness.direct.send(
      new GetItemCommand({ TableName: harness.db.tableName, Key: key(tenantId), ConsistentRead: true }),
    )
  ).Item;
