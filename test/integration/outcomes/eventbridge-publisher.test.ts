import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type LocalEventBridge,
  type LocalEventBridgeOptions,
  startLocalEventBridge,
} from '../../../local/eventbridge/index.ts';
import { LOCAL_AWS_CREDENTIALS } from '../../../local/sqs/credentials.ts';
import {
  buildOutcomeEvent,
  buildRejectedOutcome,
  InvalidOutcomeError,
  OUTCOME_SOURCE,
  type OutcomeEvent,
} from '../../../shared/domain/outcome-event.ts';
import type { Subaccount } from '../../../shared/domain/ports.ts';
import { createEventBridgeClient } from '../../../shared/outcomes/client.ts';
import { OutcomePublishError } from '../../../shared/outcomes/errors.ts';
import {
  createEventBridgeOutcomePublisher,
  type EventBridgeOutcomePublisherOptions,
  outcomeEntry,
  putEventsEntrySize,
} from '../../../shared/outcomes/eventbridge-publisher.ts';
import { tenantEvent } from '../../helpers/events.ts';

const TOKEN = 'tok_5e1f0c9d8b7a69584736251403f2e1d0';
const OUTCOME_BUS = 'tenant-outcomes';
const sidOf = (n: number) => `AC${n.toString(16).padStart(32, '0')}`;
const at = new Date('2026-11-27T09:00:01.250Z');

interface Setup {
  bus: LocalEventBridge;
  client: EventBridgeClient;
  /** Every PutEvents request body the SDK put on the wire. */
  wire: string[];
}

let setup: Setup | undefined;

/** The stand-in, and the product's own client pointed at it only through the standard env. */
const start = async (
  options: LocalEventBridgeOptions = {},
  clientConfig?: Parameters<typeof createEventBridgeClient>[0],
): Promise<Setup> => {
  const bus = await startLocalEventBridge({ eventBuses: [OUTCOME_BUS], unknownBus: 'reject', ...options });
  for (const [name, value] of Object.entries(bus.env)) vi.stubEnv(name, value);
  vi.stubEnv('AWS_REGION', bus.region);
  vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_AWS_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_AWS_CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  const client = createEventBridgeClient(clientConfig);
  const wire: string[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const body = (args.request as { body?: unknown }).body;
      // TextDecoder reads the bytes themselves (the SDK's body adapter warns on string methods).
      wire.push(body instanceof Uint8Array ? new TextDecoder().decode(body) : String(body));
      return next(args);
    },
    { step: 'finalizeRequest', name: 'captureWire' },
  );
  setup = { bus, client, wire };
  return setup;
};

afterEach(async () => {
  setup?.client.destroy();
  await setup?.bus.close();
  setup = undefined;
  vi.unstubAllEnvs();
});

const publisher = (s: Setup, options: Partial<EventBridgeOutcomePublisherOptions> = {}) =>
  createEventBridgeOutcomePublisher({
    client: s.client,
    eventBusName: OUTCOME_BUS,
    retryDelayMs: 0,
    ...options,
  });

/** The outcome of provisioning tenant `n`, built from a Subaccount that holds its auth token. */
const provisioned = (n: number): OutcomeEvent => {
  const tenantId = `tenant-${n}`;
  const subaccount: Subaccount = {
    sid: sidOf(n),
    friendlyName: `tenant:${tenantId}`,
    status: 'active',
    authToken: TOKEN,
    dateCreated: at,
  };
  const cause = { ...tenantEvent('tenant.created', tenantId, { at: n }), authToken: TOKEN };
  return buildOutcomeEvent(
    cause,
    {
      ...subaccount,
      type: 'tenant.provisioned',
      accountSid: subaccount.sid,
      secretName: `tenants/${tenantId}`,
    },
    at,
  );
};

const many = (count: number) => Array.from({ length: count }, (_, n) => provisioned(n + 1));

const rejection = async (run: Promise<unknown>): Promise<OutcomePublishError> => {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutcomePublishError);
  return error as OutcomePublishError;
};

/** Nothing the stand-in stored, nothing the SDK sent, nothing an error says holds the token. */
const expectNoToken = (s: Setup, ...more: unknown[]) => {
  const seen = [JSON.stringify(s.bus.received()), JSON.stringify(s.bus.dropped()), ...s.wire];
  for (const item of more)
    seen.push(item instanceof Error ? `${item.message} ${JSON.stringify(item)}` : String(item));
  for (const text of seen) expect(text).not.toContain(TOKEN);
  expect(s.wire.length).toBeGreaterThan(0);
};

describe('EventBridge outcome publisher against the local EventBridge', () => {
  it('puts each outcome on the configured bus: Source, DetailType, Detail and Time as the contract says', async () => {
    const s = await start();
    const outcomes = [
      provisioned(1),
      buildOutcomeEvent(
        tenantEvent('tenant.delinquent', 'tenant-1'),
        { type: 'tenant.suspended', accountSid: sidOf(1) },
        at,
      ),
      buildRejectedOutcome({ messageId: 'm-9' }, { errorCode: 'EVENT_INVALID_JSON', reason: 'not JSON' }, at),
    ];
    await publisher(s).publish(outcomes);

    const received = s.bus.received(OUTCOME_BUS);
    expect(received.map((event) => [event.source, event.detailType])).toEqual([
      [OUTCOME_SOURCE, 'tenant.provisioned'],
      [OUTCOME_SOURCE, 'tenant.suspended'],
      [OUTCOME_SOURCE, 'tenant.event-rejected'],
    ]);
    expect(received.map((event) => event.detail)).toEqual(outcomes);
    expect(received[0]).toMatchObject({ busName: OUTCOME_BUS, time: at });
    expect(received[0]?.event).toMatchObject({
      source: 'subaccount-provisioner',
      'detail-type': 'tenant.provisioned',
      time: '2026-11-27T09:00:01Z',
      detail: {
        tenantId: 'tenant-1',
        accountSid: sidOf(1),
        secretName: 'tenants/tenant-1',
        status: 'active',
      },
    });
    expect(s.bus.received('default')).toEqual([]);
    expect(s.bus.stats()).toMatchObject({ byOperation: { PutEvents: 1 }, entries: { stored: 3, failed: 0 } });
    expectNoToken(s);
  });

  it('publishes to the default bus, by name or by ARN, and with a custom source', async () => {
    const s = await start();
    await publisher(s, { eventBusName: 'default' }).publish([provisioned(1)]);
    await publisher(s, { eventBusName: s.bus.busArn(), source: 'acme.provisioner' }).publish([
      provisioned(2),
    ]);
    expect(s.bus.received('default').map((event) => [event.source, event.detail.tenantId])).toEqual([
      ['subaccount-provisioner', 'tenant-1'],
      ['acme.provisioner', 'tenant-2'],
    ]);
    expect(s.bus.received(OUTCOME_BUS)).toEqual([]);
  });

  it('sends more than 10 outcomes in chunks of at most 10, in order', async () => {
    const s = await start();
    const outcomes = many(23);
    await publisher(s).publish(outcomes);
    expect(s.bus.stats().byOperation.PutEvents).toBe(3);
    expect(s.wire.map((body) => (JSON.parse(body) as { Entries: unknown[] }).Entries.length)).toEqual([
      10, 10, 3,
    ]);
    expect(s.bus.received(OUTCOME_BUS).map((event) => event.detail.causingEventId)).toEqual(
      outcomes.map((outcome) => outcome.causingEventId),
    );
    expectNoToken(s);
  });

  it('does not call at all for no outcomes', async () => {
    const s = await start();
    await publisher(s).publish([]);
    expect(s.bus.stats().total).toBe(0);
  });

  it('keeps each call under the total entry size limit, and refuses an entry that could never fit', async () => {
    const outcomes = many(5);
    const size = putEventsEntrySize(outcomeEntry(outcomes[0]!, { eventBusName: OUTCOME_BUS }));
    const limit = Math.floor(size * 2.5);
    const s = await start({ maxRequestEntrySizeBytes: limit });
    await publisher(s, { maxRequestBytes: limit }).publish(outcomes);
    expect(s.wire.map((body) => (JSON.parse(body) as { Entries: unknown[] }).Entries.length)).toEqual([
      2, 2, 1,
    ]);
    expect(s.bus.received(OUTCOME_BUS)).toHaveLength(5);

    s.bus.resetStats();
    const tooLarge = publisher(s, { maxRequestBytes: size - 1 }).publish(outcomes);
    await expect(tooLarge).rejects.toBeInstanceOf(InvalidOutcomeError);
    await expect(tooLarge).rejects.toMatchObject({ code: 'OUTCOME_INVALID', retryable: false });
    expect(s.bus.stats().total).toBe(0);
  });

  it('sends only the contract fields of what it is given: a token smuggled into an outcome never leaves', async () => {
    const s = await start();
    const outcome = provisioned(1);
    const smuggled = { ...outcome, authToken: TOKEN, credentials: { authToken: TOKEN } };
    await publisher(s).publish([smuggled as unknown as OutcomeEvent]);
    expect(s.bus.received(OUTCOME_BUS).map((event) => event.detail)).toEqual([outcome]);
    expectNoToken(s);
  });

  it('refuses an outcome that breaks the contract before sending anything', async () => {
    const s = await start();
    const broken = { ...provisioned(2), accountSid: TOKEN } as OutcomeEvent;
    const error = await publisher(s)
      .publish([provisioned(1), broken])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOutcomeError);
    expect(s.bus.stats().total).toBe(0);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(TOKEN);
  });

  it('resends an entry EventBridge throttled once, and throws a retryable OutcomePublishError when it fails again', async () => {
    const s = await start();
    s.bus.faults.throttleEntriesOfNext(1, [1]);
    await publisher(s).publish(many(3));
    expect(s.bus.received(OUTCOME_BUS).map((event) => event.detail.tenantId)).toEqual([
      'tenant-1',
      'tenant-3',
      'tenant-2',
    ]);
    expect(s.bus.stats().byOperation.PutEvents).toBe(2);
    expect((JSON.parse(s.wire[1]!) as { Entries: unknown[] }).Entries).toHaveLength(1);

    s.bus.clear();
    s.bus.resetStats();
    // Entry 0 of both calls: the first entry, and then the resend of it alone.
    s.bus.faults.throttleEntriesOfNext(2, [0]);
    const error = await rejection(publisher(s).publish(many(3)));
    expect(error).toMatchObject({
      name: 'OutcomePublishError',
      code: 'OUTCOME_PUBLISH_FAILED',
      retryable: true,
      failed: [{ index: 0, type: 'tenant.provisioned', errorCode: 'ThrottlingException' }],
      context: { failedEntryCount: 1, outcomeCount: 3, errorCodes: ['ThrottlingException'] },
    });
    expect(error.message).toBe('EventBridge did not accept 1 of 3 outcome events: ThrottlingException');
    // The other entries were accepted; the redelivery publishes them again, and consumers deduplicate.
    expect(s.bus.received(OUTCOME_BUS).map((event) => event.detail.tenantId)).toEqual([
      'tenant-2',
      'tenant-3',
    ]);
    expect(s.bus.stats().byOperation.PutEvents).toBe(2);
    // Names the codes, never an entry's detail.
    expect(`${error.message} ${JSON.stringify(error)}`).not.toMatch(/tenant-1|tenants\/|AC0|causing/);
    expectNoToken(s, error);
  });

  it('throws at once on a failed entry when resending is off, and on InternalFailure entries of every chunk', async () => {
    const s = await start();
    s.bus.faults.throttleEntriesOfNext(1);
    const once = await rejection(publisher(s, { retryFailedEntries: false }).publish(many(2)));
    expect(once.failed.map(({ index, errorCode }) => [index, errorCode])).toEqual([
      [0, 'ThrottlingException'],
      [1, 'ThrottlingException'],
    ]);
    expect(s.bus.stats().byOperation.PutEvents).toBe(1);

    s.bus.resetStats();
    s.bus.faults.inject({ fault: { kind: 'entry-internal-failure', entries: [0] }, times: 4 });
    const error = await rejection(publisher(s).publish(many(12)));
    // Every chunk is tried: the failure of one entry does not hold the others back.
    expect(error.failed.map(({ index, errorCode }) => [index, errorCode])).toEqual([
      [0, 'InternalFailure'],
      [10, 'InternalFailure'],
    ]);
    expect(error.message).toContain('2 of 12');
    expect(error.message).toContain('InternalFailure x2');
    expect(s.bus.stats().byOperation.PutEvents).toBe(4);
    expectNoToken(s, error);
  });

  it('does not resend an entry refused for good, and still throws (a misnamed bus)', async () => {
    const s = await start();
    const error = await rejection(publisher(s, { eventBusName: 'no-such-bus' }).publish([provisioned(1)]));
    expect(error.failed).toEqual([
      { index: 0, type: 'tenant.provisioned', errorCode: 'ResourceNotFoundException' },
    ]);
    expect(error.retryable).toBe(true);
    expect(s.bus.stats().byOperation.PutEvents).toBe(1);
  });

  it('lets the SDK retry a 500 (maxAttempts 3), and throws OutcomePublishError once its attempts are spent', async () => {
    const s = await start();
    s.bus.faults.failNext(2);
    await publisher(s).publish([provisioned(1)]);
    expect(s.bus.stats().byOperation.PutEvents).toBe(3);
    expect(s.bus.received(OUTCOME_BUS)).toHaveLength(1);

    s.bus.clear();
    s.bus.resetStats();
    s.bus.faults.failNext(3);
    const error = await rejection(publisher(s).publish(many(15)));
    expect(error.retryable).toBe(true);
    expect((error.cause as Error).name).toBe('InternalException');
    // The first chunk's call failed whole; the second was not tried.
    expect(error.failed.filter(({ errorCode }) => errorCode === 'InternalException')).toHaveLength(10);
    expect(error.failed.filter(({ errorCode }) => errorCode === 'NotSent')).toHaveLength(5);
    expect(error.message).toBe(
      'EventBridge did not accept 15 of 15 outcome events: InternalException x10, NotSent x5',
    );
    expect(s.bus.stats().byOperation.PutEvents).toBe(3);
    expect(s.bus.received()).toEqual([]);
    expectNoToken(s, error);
  });

  it('turns a request-level throttle into OutcomePublishError after the SDK retries', async () => {
    const s = await start();
    s.bus.faults.failNext(3, 'throttle');
    const error = await rejection(publisher(s).publish([provisioned(1)]));
    expect(error.failed).toEqual([
      { index: 0, type: 'tenant.provisioned', errorCode: 'ThrottlingException' },
    ]);
    expect(s.bus.stats().byOperation.PutEvents).toBe(3);
  });

  it('gives up on a call that hangs, as the request timeout says', async () => {
    const s = await start(
      {},
      {
        maxAttempts: 1,
        requestHandler: { connectionTimeout: 2_000, requestTimeout: 200, throwOnRequestTimeout: true },
      },
    );
    s.bus.faults.setLatency(2_000);
    const started = Date.now();
    const error = await rejection(publisher(s).publish([provisioned(1)]));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error.failed[0]?.errorCode).toBe('TimeoutError');
    expect(error.retryable).toBe(true);
    s.bus.faults.setLatency(0);
  });
});

describe('createEventBridgeClient', () => {
  it('has 3 attempts and no endpoint of its own: AWS_ENDPOINT_URL_EVENTBRIDGE alone points it at the bus', async () => {
    const s = await start();
    expect(await s.client.config.maxAttempts()).toBe(3);
    expect(s.client.config.endpoint).toBeUndefined();
    await publisher(s).publish([provisioned(1)]);
    expect(s.bus.received(OUTCOME_BUS)).toHaveLength(1);
  });
});

describe('EventBridge outcome publisher: concurrent publishes share PutEvents calls', () => {
  /** One `publish` per outcome list, all started in the same tick, as a batch's records do. */
  const concurrently = (
    s: Setup,
    lists: readonly (readonly OutcomeEvent[])[],
    options: Partial<EventBridgeOutcomePublisherOptions> = {},
  ) => {
    const shared = publisher(s, options);
    return Promise.allSettled(lists.map((outcomes) => shared.publish(outcomes)));
  };
  const singles = (count: number) => many(count).map((outcome) => [outcome]);
  const entriesPerCall = (s: Setup) =>
    s.wire.map((body) => (JSON.parse(body) as { Entries: unknown[] }).Entries.length);
  const tenantsOnBus = (s: Setup) => s.bus.received(OUTCOME_BUS).map((event) => event.detail.tenantId);
  const reasonOf = (result: PromiseSettledResult<void> | undefined): unknown =>
    result?.status === 'rejected' ? result.reason : undefined;

  it('sends 10 single publishes of one tick in one call, and resolves each of them', async () => {
    const s = await start();
    const results = await concurrently(s, singles(10));
    expect(results.map(({ status }) => status)).toEqual(Array(10).fill('fulfilled'));
    expect(s.bus.stats().byOperation.PutEvents).toBe(1);
    expect(entriesPerCall(s)).toEqual([10]);
    expect(tenantsOnBus(s)).toEqual(many(10).map((outcome) => outcome.tenantId));
    expectNoToken(s);
  });

  it('chunks 12 single publishes into 10 + 2, in the order publish was called', async () => {
    const s = await start();
    const results = await concurrently(s, singles(12));
    expect(results.every(({ status }) => status === 'fulfilled')).toBe(true);
    expect(s.bus.stats().byOperation.PutEvents).toBe(2);
    expect(entriesPerCall(s)).toEqual([10, 2]);
    expect(tenantsOnBus(s)).toEqual(many(12).map((outcome) => outcome.tenantId));
  });

  it("keeps a caller's own outcomes consecutive and in order among the others", async () => {
    const s = await start();
    const [p1, p2, p3, p4, p5] = many(5) as [
      OutcomeEvent,
      OutcomeEvent,
      OutcomeEvent,
      OutcomeEvent,
      OutcomeEvent,
    ];
    const results = await concurrently(s, [[p1], [p2, p3, p4], [], [p5]]);
    expect(results.every(({ status }) => status === 'fulfilled')).toBe(true);
    expect(entriesPerCall(s)).toEqual([5]);
    expect(tenantsOnBus(s)).toEqual(['tenant-1', 'tenant-2', 'tenant-3', 'tenant-4', 'tenant-5']);
  });

  it('sends a publish of a later turn in a call of its own, without waiting for the one in flight', async () => {
    const s = await start();
    const shared = publisher(s);
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    s.bus.faults.setLatency(300);
    const first = shared.publish([provisioned(1)]);
    await pause(20);
    const second = shared.publish([provisioned(2)]);
    await pause(20);
    // The second call is on the wire while the first is still unanswered.
    expect(entriesPerCall(s)).toEqual([1, 1]);
    expect(s.bus.received()).toEqual([]);
    await Promise.all([first, second]);
    s.bus.faults.setLatency(0);
    expect(tenantsOnBus(s)).toEqual(['tenant-1', 'tenant-2']);
  });

  it('resends a throttled entry of one caller alone, and rejects only the caller whose entry failed again', async () => {
    const s = await start();
    // Call 1 throttles the entries of callers 0 and 3; the resend [caller 0, caller 3] throttles
    // its entry 0 (caller 0's) again, and accepts caller 3's.
    s.bus.faults.throttleEntriesOfNext(2, [0, 3]);
    const results = await concurrently(s, singles(6));
    expect(results.map(({ status }) => status)).toEqual([
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    const error = reasonOf(results[0]);
    expect(error).toBeInstanceOf(OutcomePublishError);
    expect(error).toMatchObject({
      failed: [{ index: 0, type: 'tenant.provisioned', errorCode: 'ThrottlingException' }],
      context: { failedEntryCount: 1, outcomeCount: 1 },
      message: 'EventBridge did not accept 1 of 1 outcome events: ThrottlingException',
    });
    expect((error as Error).cause).toBeUndefined();
    // Every caller's own entry is its index 0: the resend picks entries by identity, not index.
    expect(entriesPerCall(s)).toEqual([6, 2]);
    expect(tenantsOnBus(s).sort()).toEqual(['tenant-2', 'tenant-3', 'tenant-4', 'tenant-5', 'tenant-6']);
    expectNoToken(s, error);
  });

  it("indexes a caller's failed entries in its own list, with its own total", async () => {
    const s = await start();
    // Queue: A0 A1 B0 B1 B2; entry 3 of the call is B's outcome 1.
    s.bus.faults.inject({ fault: { kind: 'entry-internal-failure', entries: [3] }, times: 1 });
    const outcomes = many(5);
    const results = await concurrently(s, [outcomes.slice(0, 2), outcomes.slice(2)], {
      retryFailedEntries: false,
    });
    expect(results[0]?.status).toBe('fulfilled');
    expect(reasonOf(results[1])).toMatchObject({
      name: 'OutcomePublishError',
      failed: [{ index: 1, errorCode: 'InternalFailure' }],
      context: { outcomeCount: 3 },
    });
    expect(s.bus.stats().byOperation.PutEvents).toBe(1);
  });

  it('rejects every caller of a call that failed whole with its cause, and publishes again afterwards', async () => {
    const s = await start();
    const shared = publisher(s);
    s.bus.faults.failNext(3);
    const results = await Promise.allSettled(singles(4).map((outcomes) => shared.publish(outcomes)));
    for (const result of results) {
      const error = reasonOf(result);
      expect(error).toBeInstanceOf(OutcomePublishError);
      expect(error).toMatchObject({
        failed: [{ index: 0, errorCode: 'InternalException' }],
        context: { outcomeCount: 1 },
      });
      expect(((error as Error).cause as Error).name).toBe('InternalException');
      expectNoToken(s, error);
    }
    expect(s.bus.stats().byOperation.PutEvents).toBe(3);
    expect(s.bus.received()).toEqual([]);

    await shared.publish([provisioned(9)]);
    expect(tenantsOnBus(s)).toEqual(['tenant-9']);
  });

  it('holds back only the later entries of the caller whose call failed whole, and still sends the others', async () => {
    const s = await start();
    // Queue: A0..A11, B0; chunks [A0..A9] and [A10, A11, B0]. The first call fails whole.
    s.bus.faults.failNext(3);
    const results = await concurrently(s, [many(12), [provisioned(20)]]);
    const error = reasonOf(results[0]) as OutcomePublishError;
    expect(error).toBeInstanceOf(OutcomePublishError);
    expect(error.failed.map(({ index, errorCode }) => [index, errorCode])).toEqual([
      ...Array.from({ length: 10 }, (_, index) => [index, 'InternalException']),
      [10, 'NotSent'],
      [11, 'NotSent'],
    ]);
    expect(error.message).toBe(
      'EventBridge did not accept 12 of 12 outcome events: InternalException x10, NotSent x2',
    );
    expect((error.cause as Error).name).toBe('InternalException');
    expect(results[1]?.status).toBe('fulfilled');
    // A10 and A11 were truly not sent: the second call held B0 alone.
    expect(entriesPerCall(s)).toEqual([10, 10, 10, 1]);
    expect(tenantsOnBus(s)).toEqual(['tenant-20']);
  });

  it('rejects only the caller of an invalid outcome, with InvalidOutcomeError, and publishes the rest', async () => {
    const s = await start();
    const lists = singles(5);
    lists[2] = [{ ...provisioned(3), accountSid: TOKEN } as OutcomeEvent];
    const results = await concurrently(s, lists);
    expect(results.map(({ status }) => status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const error = reasonOf(results[2]);
    expect(error).toBeInstanceOf(InvalidOutcomeError);
    expect(error).not.toBeInstanceOf(OutcomePublishError);
    expect(entriesPerCall(s)).toEqual([4]);
    expect(tenantsOnBus(s)).toEqual(['tenant-1', 'tenant-2', 'tenant-4', 'tenant-5']);
    expectNoToken(s, error);
  });
});
