import {
  EventBridgeClient,
  EventBridgeServiceException,
  ListRulesCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCAL_AWS_CREDENTIALS } from '../../../local/sqs/credentials.ts';
import { type Harness, rawCall, startHarness, stopHarness, tenantEntry } from './harness.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const serviceError = async (call: Promise<unknown>): Promise<EventBridgeServiceException> => {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EventBridgeServiceException);
  return error as EventBridgeServiceException;
};

describe('local EventBridge: PutEvents', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    vi.unstubAllEnvs();
    await stopHarness(h);
    h = undefined;
  });

  it('accepts entries on the default bus, one EventId each, and keeps them in order', async () => {
    const clock = new Date('2030-01-15T10:30:00.000Z');
    h = await startHarness({ now: () => clock, region: 'eu-west-1', accountId: '123456789012' });
    const output = await h.client.send(
      new PutEventsCommand({
        Entries: [
          tenantEntry('acme', { Resources: ['arn:aws:iam::123456789012:root'], TraceHeader: 'Root=1-abc' }),
          tenantEntry('globex', { Time: new Date('2026-11-27T09:00:00.250Z') }),
        ],
      }),
    );

    expect(output.FailedEntryCount).toBe(0);
    expect(output.Entries).toHaveLength(2);
    const [first, second] = h.bus.received();
    expect(output.Entries?.map((entry) => entry.EventId)).toEqual([first?.eventId, second?.eventId]);
    expect(first?.eventId).toMatch(UUID);
    expect(first).toMatchObject({
      busName: 'default',
      busArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/default',
      source: 'saas.platform',
      detailType: 'tenant.created',
      detail: { tenantId: 'acme', version: 1 },
      resources: ['arn:aws:iam::123456789012:root'],
      traceHeader: 'Root=1-abc',
      time: clock,
      receivedAt: clock,
    });
    expect(second?.time).toEqual(new Date('2026-11-27T09:00:00.250Z'));
    expect(second?.event).toEqual({
      version: '0',
      id: second?.eventId,
      'detail-type': 'tenant.created',
      source: 'saas.platform',
      account: '123456789012',
      time: '2026-11-27T09:00:00Z',
      region: 'eu-west-1',
      resources: [],
      detail: JSON.parse(tenantEntry('globex').Detail!),
    });
    expect(h.bus.stats()).toMatchObject({
      total: 1,
      byOperation: { PutEvents: 1 },
      entries: { stored: 2, dropped: 0, failed: 0 },
    });
  });

  it('routes to named buses by name or ARN and keeps each bus apart', async () => {
    h = await startHarness({ eventBuses: ['tenant-events'] });
    const arn = h.bus.busArn('tenant-events');
    await h.client.send(
      new PutEventsCommand({
        Entries: [
          tenantEntry('a', { EventBusName: 'tenant-events' }),
          tenantEntry('b'),
          tenantEntry('c', { EventBusName: arn }),
          tenantEntry('d', { EventBusName: h.bus.busArn('default') }),
        ],
      }),
    );

    const tenants = (events: ReturnType<Harness['bus']['received']>) =>
      events.map((event) => event.detail.tenantId);
    expect(tenants(h.bus.received('tenant-events'))).toEqual(['a', 'c']);
    expect(tenants(h.bus.received(arn))).toEqual(['a', 'c']);
    expect(tenants(h.bus.received('default'))).toEqual(['b', 'd']);
    expect(tenants(h.bus.received())).toEqual(['a', 'b', 'c', 'd']);
    expect(h.bus.received('tenant-events').every((event) => event.busArn === arn)).toBe(true);

    h.bus.clear();
    expect(h.bus.received()).toEqual([]);
  });

  it('fails single entries with AWS codes and stores the others', async () => {
    h = await startHarness();
    const { Source, DetailType, Detail } = tenantEntry('x');
    const entries: PutEventsRequestEntry[] = [
      { DetailType, Detail },
      tenantEntry('ok-1'),
      { Source, Detail },
      { Source, DetailType },
      { Source: '', DetailType, Detail },
      { Source, DetailType, Detail: 'not json' },
      { Source, DetailType, Detail: '[1, 2]' },
      { Source, DetailType, Detail: '"a string"' },
      tenantEntry('ok-2'),
    ];
    const output = await h.client.send(new PutEventsCommand({ Entries: entries }));

    const required = (member: string) => ({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: `Parameter ${member} is not valid. Reason: ${member} is a required argument.`,
    });
    const malformed = { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    expect(output.FailedEntryCount).toBe(7);
    expect(output.Entries).toEqual([
      required('Source'),
      { EventId: expect.stringMatching(UUID) },
      required('DetailType'),
      required('Detail'),
      required('Source'),
      malformed,
      malformed,
      malformed,
      { EventId: expect.stringMatching(UUID) },
    ]);
    expect(h.bus.received().map((event) => event.detail.tenantId)).toEqual(['ok-1', 'ok-2']);
    expect(h.bus.stats().entries).toEqual({ stored: 2, dropped: 0, failed: 7 });
  });

  it('refuses the whole request with more than 10 entries, or none', async () => {
    h = await startHarness();
    const eleven = Array.from({ length: 11 }, (_, n) => tenantEntry(`t${n}`));

    const tooMany = await serviceError(h.client.send(new PutEventsCommand({ Entries: eleven })));
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.$metadata.httpStatusCode).toBe(400);
    expect(tooMany.message).toMatch(/'entries'.*less than or equal to 10/);

    const none = await serviceError(h.client.send(new PutEventsCommand({ Entries: [] })));
    expect(none.name).toBe('ValidationException');
    expect(none.message).toMatch(/greater than or equal to 1/);

    const ten = await h.client.send(new PutEventsCommand({ Entries: eleven.slice(0, 10) }));
    expect(ten.FailedEntryCount).toBe(0);
    expect(h.bus.received()).toHaveLength(10);
  });

  it('accepts an entry for a bus that does not exist and delivers it nowhere, as EventBridge does', async () => {
    h = await startHarness({ accountId: '111111111111' });
    const output = await h.client.send(
      new PutEventsCommand({
        Entries: [
          tenantEntry('lost', { EventBusName: 'no-such-bus' }),
          tenantEntry('other-account', {
            EventBusName: 'arn:aws:events:us-east-1:222222222222:event-bus/default',
          }),
          tenantEntry('kept'),
        ],
      }),
    );

    expect(output.FailedEntryCount).toBe(0);
    expect(output.Entries?.every((entry) => UUID.test(entry.EventId ?? ''))).toBe(true);
    expect(h.bus.received().map((event) => event.detail.tenantId)).toEqual(['kept']);
    expect(h.bus.received('no-such-bus')).toEqual([]);
    expect(h.bus.dropped().map((event) => [event.busName, event.eventId])).toEqual([
      ['no-such-bus', output.Entries?.[0]?.EventId],
      ['default', output.Entries?.[1]?.EventId],
    ]);
    expect(h.bus.stats().entries).toEqual({ stored: 1, dropped: 2, failed: 0 });
  });

  it('fails such entries with ResourceNotFoundException when asked to be strict', async () => {
    h = await startHarness({ unknownBus: 'reject' });
    h.bus.createEventBus('created-later');
    const output = await h.client.send(
      new PutEventsCommand({
        Entries: [
          tenantEntry('lost', { EventBusName: 'no-such-bus' }),
          tenantEntry('kept', { EventBusName: 'created-later' }),
        ],
      }),
    );
    expect(output.FailedEntryCount).toBe(1);
    expect(output.Entries?.[0]).toEqual({
      ErrorCode: 'ResourceNotFoundException',
      ErrorMessage: 'Event bus no-such-bus does not exist.',
    });
    expect(h.bus.received('created-later')).toHaveLength(1);
    expect(h.bus.dropped()).toEqual([]);
  });

  it('answers other operations with UnknownOperationException', async () => {
    h = await startHarness();
    const error = await serviceError(h.client.send(new ListRulesCommand({})));
    expect(error.name).toBe('UnknownOperationException');
    expect(error.$metadata.httpStatusCode).toBe(400);

    const foreign = await rawCall(h.bus.url, 'DynamoDB_20120810.GetItem', '{}');
    expect(foreign).toMatchObject({ status: 400, errorType: 'UnknownOperationException' });
    const missing = await rawCall(h.bus.url, undefined, '{}');
    expect(missing.json.__type).toBe('UnknownOperationException');
    expect(h.bus.stats().byOperation).toEqual({ ListRules: 1 });
  });

  it('answers a body it cannot read with SerializationException', async () => {
    h = await startHarness();
    const cases = [
      '{not json',
      '[]',
      '{"Entries":"x"}',
      '{"Entries":[{"Source":1}]}',
      '{"Entries":[{"Time":"x"}]}',
    ];
    for (const body of cases) {
      const answer = await rawCall(h.bus.url, 'AWSEvents.PutEvents', body);
      expect(answer, body).toMatchObject({ status: 400, errorType: 'SerializationException' });
      expect(answer.json).toMatchObject({ __type: 'SerializationException', message: expect.any(String) });
    }
    const absent = await rawCall(h.bus.url, 'AWSEvents.PutEvents', '{}');
    expect(absent).toMatchObject({ status: 400, errorType: 'ValidationException' });
    expect(h.bus.received()).toEqual([]);
  });

  it('is reachable by a client configured only through its env (AWS_ENDPOINT_URL_EVENTBRIDGE)', async () => {
    h = await startHarness();
    for (const [name, value] of Object.entries(h.bus.env)) vi.stubEnv(name, value);
    const client = new EventBridgeClient({ region: h.bus.region, credentials: { ...LOCAL_AWS_CREDENTIALS } });
    try {
      await client.send(new PutEventsCommand({ Entries: [tenantEntry('from-env')] }));
    } finally {
      client.destroy();
    }
    expect(h.bus.received().map((event) => event.detail.tenantId)).toEqual(['from-env']);
  });
});
