import { createServer } from 'node:net';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalEventBridgeConfigError, startLocalEventBridge } from '../../../local/eventbridge/index.ts';
import { type Harness, startHarness, stopHarness, tenantEntry } from './harness.ts';

const canBind = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

describe('local EventBridge: lifecycle', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await stopHarness(h);
    h = undefined;
  });

  it('listens on loopback, and close() frees the port, ends kept-alive connections, and can run twice', async () => {
    h = await startHarness();
    const port = Number(new URL(h.bus.url).port);
    expect(new URL(h.bus.url).hostname).toBe('127.0.0.1');
    await h.client.send(new PutEventsCommand({ Entries: [tenantEntry('a')] }));
    expect(await canBind(port)).toBe(false);

    await h.bus.close();
    await h.bus.close();
    expect(await canBind(port)).toBe(true);
  });

  it('knows the default bus and the buses it was given or asked to create', async () => {
    h = await startHarness({
      eventBuses: ['tenant-events'],
      region: 'eu-central-1',
      accountId: '123456789012',
    });
    expect(h.bus.createEventBus('audit')).toBe('arn:aws:events:eu-central-1:123456789012:event-bus/audit');
    expect(h.bus.createEventBus('audit')).toBe(h.bus.busArn('audit'));
    expect(h.bus.eventBuses()).toEqual(['default', 'tenant-events', 'audit']);
    expect(h.bus.busArn()).toBe('arn:aws:events:eu-central-1:123456789012:event-bus/default');
    expect(() => h!.bus.createEventBus('aws.partner')).toThrow(LocalEventBridgeConfigError);
    expect(() => h!.bus.createEventBus('has space')).toThrow(LocalEventBridgeConfigError);
  });

  it('refuses bad options by name before listening', async () => {
    await expect(startLocalEventBridge({ region: 'nowhere' })).rejects.toThrow(/region/);
    await expect(startLocalEventBridge({ accountId: '12' })).rejects.toMatchObject({
      code: 'LOCAL_EVENTBRIDGE_CONFIG',
    });
    await expect(startLocalEventBridge({ unknownBus: 'ignore' as never })).rejects.toThrow(/unknownBus/);
    await expect(startLocalEventBridge({ maxRequestEntrySizeBytes: 0 })).rejects.toThrow(
      /maxRequestEntrySizeBytes/,
    );
    await expect(startLocalEventBridge({ eventBuses: ['bad name'] })).rejects.toBeInstanceOf(
      LocalEventBridgeConfigError,
    );
  });

  it('uses the EventIds it is given, for repeatable tests', async () => {
    let n = 0;
    h = await startHarness({ newEventId: () => `id-${++n}` });
    const output = await h.client.send(
      new PutEventsCommand({ Entries: [tenantEntry('a'), tenantEntry('b')] }),
    );
    expect(output.Entries).toEqual([{ EventId: 'id-1' }, { EventId: 'id-2' }]);
    expect(h.bus.received().map((event) => event.event.id)).toEqual(['id-1', 'id-2']);
  });
});
