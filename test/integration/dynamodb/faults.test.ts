import {
  ConditionalCheckFailedException,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalDynamoDbConfigError } from '../../../local/dynamodb/index.ts';
import { seededRandom } from '../../helpers/seeded-random.ts';
import { type Harness, key, startHarness, stopHarness, storedItem } from './harness.ts';

const increment = (tableName: string, tenantId: string) =>
  new UpdateItemCommand({
    TableName: tableName,
    Key: key(tenantId),
    UpdateExpression: 'ADD applied :one',
    ExpressionAttributeValues: { ':one': { N: '1' } },
  });

const createOnce = (tableName: string, tenantId: string) =>
  new PutItemCommand({
    TableName: tableName,
    Item: { ...key(tenantId), subaccountSid: { S: 'AC0001' } },
    ConditionExpression: 'attribute_not_exists(tenantId)',
  });

const elapsed = async (call: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await call();
  return performance.now() - started;
};

describe('local DynamoDB: faults', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await stopHarness(h);
    h = undefined;
  });

  describe('throttling', () => {
    it('throttles the next N calls; the SDK retries them and the write is applied once', async () => {
      h = await startHarness();
      h.db.faults.throttleNext(2, 'UpdateItem');
      const client = h.db.createClient({ maxAttempts: 3 });

      const output = await client.send(increment(h.db.tableName, 'acme'));

      expect(output.$metadata.attempts).toBe(3);
      expect(await storedItem(h, 'acme')).toEqual({ ...key('acme'), applied: { N: '1' } });
      expect(h.db.stats().byOperation.UpdateItem).toBe(3);
      expect(h.db.stats().faultsInjected.throttle).toBe(2);
      expect(h.db.stats().faultsByOperation.UpdateItem?.throttle).toBe(2);
      expect(h.db.faults.active()).toEqual([]);
    });

    it('surfaces ProvisionedThroughputExceededException, as DynamoDB sends it, when retries are off', async () => {
      h = await startHarness();
      h.db.faults.throttleNext(1);
      const client = h.db.createClient({ maxAttempts: 1 });

      const error = await client.send(increment(h.db.tableName, 'acme')).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
      const throttled = error as ProvisionedThroughputExceededException;
      expect(throttled.$metadata.httpStatusCode).toBe(400);
      expect(throttled.$metadata.requestId).toMatch(/^[A-Z0-9]{52}$/);
      expect(throttled.message).toMatch(/^Throughput exceeds the current capacity/);
      expect(await storedItem(h, 'acme')).toBeUndefined();
    });

    it('sends the exact DynamoDB wire shape: JSON 1.0 body with a namespaced __type and a CRC32', async () => {
      h = await startHarness();
      h.db.faults.throttleNext(1);
      const response = await fetch(h.db.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.GetItem',
        },
        body: '{}',
      });
      const text = await response.text();
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
      const { crc32 } = await import('node:zlib');
      expect(response.headers.get('x-amz-crc32')).toBe(String(crc32(text)));
      expect(JSON.parse(text)).toMatchObject({
        __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
        message: expect.any(String),
      });
    });

    it('throttles only the operation it names, accepting the full X-Amz-Target too', async () => {
      h = await startHarness();
      h.db.faults.inject({ operation: 'DynamoDB_20120810.PutItem', fault: { kind: 'throttle' }, times: 1 });
      const client = h.db.createClient({ maxAttempts: 1 });

      await client.send(new GetItemCommand({ TableName: h.db.tableName, Key: key('acme') }));
      await expect(client.send(createOnce(h.db.tableName, 'acme'))).rejects.toBeInstanceOf(
        ProvisionedThroughputExceededException,
      );
      await client.send(createOnce(h.db.tableName, 'acme'));

      expect(h.db.stats().faultsByOperation).toEqual({
        PutItem: { latency: 0, throttle: 1, 'lost-answer': 0 },
      });
    });

    it('throttles by probability, repeatably from a seeded random', async () => {
      const calls = 40;
      const expected = Array.from({ length: calls }, seededRandom(7)).filter((draw) => draw < 0.3).length;
      h = await startHarness({ random: seededRandom(7) });
      h.db.faults.throttleRandomly(0.3, 'GetItem');
      const client = h.db.createClient({ maxAttempts: 1 });

      let throttled = 0;
      for (let call = 0; call < calls; call += 1) {
        await client.send(new GetItemCommand({ TableName: h.db.tableName, Key: key('acme') })).catch((e) => {
          if (!(e instanceof ProvisionedThroughputExceededException)) throw e;
          throttled += 1;
        });
      }

      expect(throttled).toBe(expected);
      expect(throttled).toBeGreaterThan(0);
      expect(throttled).toBeLessThan(calls);
      expect(h.db.stats().faultsInjected.throttle).toBe(expected);
    });

    it('applies faults given at start, after creating the table without them', async () => {
      h = await startHarness({
        faults: [{ operation: '*', fault: { kind: 'throttle' }, times: 1 }],
      });
      expect(h.db.faults.active()).toEqual([{ operation: '*', fault: { kind: 'throttle' }, times: 1 }]);
      const client = h.db.createClient({ maxAttempts: 1 });

      await expect(
        client.send(new GetItemCommand({ TableName: h.db.tableName, Key: key('acme') })),
      ).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
      await client.send(new GetItemCommand({ TableName: h.db.tableName, Key: key('acme') }));
      expect(h.db.stats()).toMatchObject({ total: 2, faultsInjected: { throttle: 1 } });
    });
  });

  describe('latency', () => {
    it('delays every matching call by a fixed time, and setLatency(0) removes it', async () => {
      h = await startHarness();
      h.db.faults.setLatency(60, 'GetItem');
      const get = () => h!.db.client.send(new GetItemCommand({ TableName: h!.db.tableName, Key: key('a') }));

      expect(await elapsed(get)).toBeGreaterThanOrEqual(55);
      expect(await elapsed(get)).toBeGreaterThanOrEqual(55);
      expect(h.db.stats().faultsByOperation.GetItem?.latency).toBe(2);

      h.db.faults.setLatency(20, 'GetItem');
      expect(h.db.faults.active()).toEqual([{ operation: 'GetItem', fault: { kind: 'latency', ms: 20 } }]);
      h.db.faults.setLatency(0, 'GetItem');
      expect(h.db.faults.active()).toEqual([]);
      await get();
      expect(h.db.stats().faultsInjected.latency).toBe(2);
    });

    it('applies nothing when the caller gives up during the delay', async () => {
      h = await startHarness();
      h.db.faults.setLatency(300, 'PutItem');
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 50);

      await expect(
        h.db.client.send(createOnce(h.db.tableName, 'acme'), { abortSignal: abort.signal }),
      ).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 400));

      expect(await storedItem(h, 'acme')).toBeUndefined();
    });
  });

  describe('lost answers', () => {
    it('applies the write but the client sees a socket error instead of the answer', async () => {
      h = await startHarness();
      h.db.faults.loseNextAnswers(1, 'PutItem');
      const client = h.db.createClient({ maxAttempts: 1 });

      const error = await client.send(createOnce(h.db.tableName, 'acme')).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(Error);
      // A network error, not a service answer: no HTTP status, no fault classification.
      expect(
        (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
      ).toBeUndefined();
      expect((error as { $fault?: unknown }).$fault).toBeUndefined();
      expect(`${(error as NodeJS.ErrnoException).code} ${(error as Error).message}`).toMatch(
        /ECONNRESET|socket hang up/,
      );
      expect(await storedItem(h, 'acme')).toEqual({ ...key('acme'), subaccountSid: { S: 'AC0001' } });
      expect(h.db.stats().faultsInjected['lost-answer']).toBe(1);
    });

    it('makes the SDK retry a conditional write that was in fact applied, which then fails its condition', async () => {
      h = await startHarness();
      h.db.faults.loseNextAnswers(1, 'PutItem');
      const client = h.db.createClient({ maxAttempts: 2 });

      const error = await client.send(createOnce(h.db.tableName, 'acme')).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ConditionalCheckFailedException);
      expect((error as ConditionalCheckFailedException).$metadata.attempts).toBe(2);
      expect(h.db.stats().byOperation.PutItem).toBe(2);
      expect(await storedItem(h, 'acme')).toBeDefined();
    });

    it('loses only the next N answers, in rule order after earlier throttles', async () => {
      h = await startHarness();
      h.db.faults.throttleNext(1, 'UpdateItem');
      h.db.faults.loseNextAnswers(1, 'UpdateItem');
      const client = h.db.createClient({ maxAttempts: 1 });
      const attempt = () => client.send(increment(h!.db.tableName, 'acme'));

      await expect(attempt()).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
      await expect(attempt()).rejects.toThrow(/ECONNRESET|socket hang up/);
      await attempt();

      expect(await storedItem(h, 'acme')).toEqual({ ...key('acme'), applied: { N: '2' } });
      expect(h.db.stats().faultsByOperation.UpdateItem).toEqual({
        latency: 0,
        throttle: 1,
        'lost-answer': 1,
      });
    });
  });

  it('refuses a malformed rule with a stable, non-retryable code', async () => {
    h = await startHarness();
    const refused = [
      () => h!.db.faults.inject({ fault: { kind: 'explode' } as never }),
      () => h!.db.faults.inject({ fault: { kind: 'throttle' }, times: 0 }),
      () => h!.db.faults.inject({ fault: { kind: 'throttle' }, probability: 2 }),
      () => h!.db.faults.inject({ fault: { kind: 'latency', ms: -1 } }),
      () => h!.db.faults.setLatency(Number.NaN),
    ];
    for (const call of refused) {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LocalDynamoDbConfigError);
      expect(error).toMatchObject({ code: 'LOCAL_DYNAMODB_CONFIG', retryable: false });
    }
    expect(h.db.faults.active()).toEqual([]);
  });
});
