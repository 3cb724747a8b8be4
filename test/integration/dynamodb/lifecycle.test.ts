import { createServer } from 'node:net';
import { GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type LocalDynamoDb,
  LocalDynamoDbConfigError,
  startLocalDynamoDb,
} from '../../../local/dynamodb/index.ts';
import { key } from './harness.ts';

const portOf = (url: string): number => Number(new URL(url).port);

/** Binding the port again is the proof that nothing holds it any more. */
const canBind = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

describe('local DynamoDB: lifecycle', () => {
  const started: LocalDynamoDb[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((db) => db.close()));
  });
  const start = async (...args: Parameters<typeof startLocalDynamoDb>) => {
    const db = await startLocalDynamoDb(...args);
    started.push(db);
    return db;
  };

  it('listens on loopback only, proxy and dynalite on two free ports', async () => {
    const db = await start();
    expect(new URL(db.url).hostname).toBe('127.0.0.1');
    expect(new URL(db.directUrl).hostname).toBe('127.0.0.1');
    expect(portOf(db.url)).not.toBe(portOf(db.directUrl));
    expect(await canBind(portOf(db.url))).toBe(false);
  });

  it('close() frees both ports, ends kept-alive connections, and can be called twice', async () => {
    const db = await start();
    // A kept-alive connection from the client, and one from the proxy to dynalite.
    await db.client.send(new PutItemCommand({ TableName: db.tableName, Item: key('a') }));
    await db.close();
    await db.close();

    expect(await canBind(portOf(db.url))).toBe(true);
    expect(await canBind(portOf(db.directUrl))).toBe(true);
    await expect(fetch(db.url, { method: 'POST' })).rejects.toThrow();
  });

  it('close() ends a call held by injected latency, and applies nothing', async () => {
    const db = await start();
    db.faults.setLatency(5_000);
    const call = db.client.send(new PutItemCommand({ TableName: db.tableName, Item: key('a') }));
    const outcome = call.then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await db.close();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await outcome).toBe('failed');
  });

  it('close() with calls in flight lets dynalite finish them, and nothing crashes', async () => {
    const db = await start();
    const calls = Array.from({ length: 25 }, (_, n) =>
      db.client.send(new PutItemCommand({ TableName: db.tableName, Item: key(`t${n}`) })).then(
        () => 'answered',
        () => 'failed',
      ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    await db.close();
    const outcomes = await Promise.all(calls);
    expect(outcomes).toHaveLength(25);
    expect(await canBind(portOf(db.directUrl))).toBe(true);
  });

  it('keeps instances apart, and can start without the ledger table or under another name', async () => {
    const empty = await start({ createLedgerTable: false });
    const named = await start({ tableName: 'ledger-under-test' });

    expect((await empty.client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    expect((await named.client.send(new ListTablesCommand({}))).TableNames).toEqual(['ledger-under-test']);
    await named.client.send(new PutItemCommand({ TableName: named.tableName, Item: key('a') }));
    const read = await named.client.send(new GetItemCommand({ TableName: named.tableName, Key: key('a') }));
    expect(read.Item).toEqual(key('a'));
    expect(named.env).toEqual({
      AWS_ENDPOINT_URL_DYNAMODB: named.url,
      TENANT_LEDGER_TABLE: 'ledger-under-test',
    });
  });

  it('refuses bad options by name before starting anything', async () => {
    await expect(startLocalDynamoDb({ tableName: 'x' })).rejects.toBeInstanceOf(LocalDynamoDbConfigError);
    await expect(startLocalDynamoDb({ region: 'moon' })).rejects.toThrow(/region/);
    await expect(
      startLocalDynamoDb({ faults: [{ fault: { kind: 'throttle' }, times: -1 }] }),
    ).rejects.toMatchObject({ code: 'LOCAL_DYNAMODB_CONFIG' });
  });
});
