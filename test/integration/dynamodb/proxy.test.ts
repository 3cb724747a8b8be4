import {
  ConditionalCheckFailedException,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOCAL_AWS_CREDENTIALS } from '../../../local/sqs/credentials.ts';
import { LEDGER_PARTITION_KEY, LOCAL_LEDGER_TABLE_NAME } from '../../../shared/ledger/table-definition.ts';
import { type Harness, key, startHarness, stopHarness, storedItem } from './harness.ts';

/** Moves a tenant's watermark forward only: the conditional write the ledger relies on. */
const advanceWatermark = (tableName: string, tenantId: string, watermark: number) =>
  new UpdateItemCommand({
    TableName: tableName,
    Key: key(tenantId),
    UpdateExpression: 'SET watermark = :w',
    ConditionExpression: 'attribute_not_exists(watermark) OR watermark < :w',
    ExpressionAttributeValues: { ':w': { N: String(watermark) } },
    ReturnValues: 'ALL_NEW',
  });

describe('local DynamoDB: the proxy in front of dynalite', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await stopHarness(h);
  });

  it('creates the ledger table from the shared definition, ACTIVE and on demand', async () => {
    expect(h.db.tableName).toBe(LOCAL_LEDGER_TABLE_NAME);
    const { Table } = await h.db.client.send(new DescribeTableCommand({ TableName: h.db.tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([{ AttributeName: LEDGER_PARTITION_KEY, KeyType: 'HASH' }]);
    expect(Table?.AttributeDefinitions).toEqual([
      { AttributeName: LEDGER_PARTITION_KEY, AttributeType: 'S' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('passes a conditional UpdateItem through and applies it, and refuses the stale one', async () => {
    const first = await h.db.client.send(advanceWatermark(h.db.tableName, 'acme', 5));
    expect(first.Attributes?.watermark).toEqual({ N: '5' });

    const stale = await h.db.client
      .send(advanceWatermark(h.db.tableName, 'acme', 3))
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConditionalCheckFailedException);
    expect((stale as ConditionalCheckFailedException).$metadata.httpStatusCode).toBe(400);

    await h.db.client.send(advanceWatermark(h.db.tableName, 'acme', 9));
    expect(await storedItem(h, 'acme')).toEqual({ tenantId: { S: 'acme' }, watermark: { N: '9' } });
    expect(h.db.stats().byOperation.UpdateItem).toBe(3);
    expect(h.db.stats().faultsInjected).toEqual({ latency: 0, throttle: 0, 'lost-answer': 0 });
  });

  it('counts every call per operation, and resets', async () => {
    await h.db.client.send(new PutItemCommand({ TableName: h.db.tableName, Item: key('a') }));
    await h.db.client.send(new GetItemCommand({ TableName: h.db.tableName, Key: key('a') }));
    await h.db.client.send(new GetItemCommand({ TableName: h.db.tableName, Key: key('b') }));
    expect(h.db.stats()).toMatchObject({ total: 3, byOperation: { PutItem: 1, GetItem: 2 } });
    h.db.resetStats();
    expect(h.db.stats()).toMatchObject({ total: 0, byOperation: {} });
  });

  it('is reachable by a client configured only through its env (AWS_ENDPOINT_URL_DYNAMODB)', async () => {
    for (const [name, value] of Object.entries(h.db.env)) vi.stubEnv(name, value);
    const client = new DynamoDBClient({ region: h.db.region, credentials: { ...LOCAL_AWS_CREDENTIALS } });
    try {
      await client.send(
        new PutItemCommand({ TableName: process.env.TENANT_LEDGER_TABLE, Item: key('from-env') }),
      );
    } finally {
      client.destroy();
    }
    expect(await storedItem(h, 'from-env')).toEqual(key('from-env'));
    expect(h.db.stats().byOperation.PutItem).toBe(1);
  });

  it('passes dynalite errors through unchanged', async () => {
    const error = await h.db.client
      .send(new GetItemCommand({ TableName: 'no-such-table', Key: key('a') }))
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('ResourceNotFoundException');
  });
});
