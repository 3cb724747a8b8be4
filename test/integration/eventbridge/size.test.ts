import {
  EventBridgeServiceException,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PUT_EVENTS_LEGACY_SIZE_LIMIT_BYTES,
  PUT_EVENTS_SIZE_LIMIT_BYTES,
  putEventsEntrySize,
} from '../../../local/eventbridge/index.ts';
import { type Harness, startHarness, stopHarness } from './harness.ts';

const OVER_LIMIT = 'Total size of the entries in the request is over the limit.';

/** An entry of exactly `bytes` by AWS's formula, its Detail padded with a string field. */
const entryOfSize = (bytes: number, extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => {
  const base = { Source: 'saas.platform', DetailType: 'tenant.created', ...extra, Detail: '{"pad":""}' };
  const padding = bytes - putEventsEntrySize(base);
  if (padding < 0) throw new Error(`an entry cannot be as small as ${bytes} bytes`);
  return { ...base, Detail: JSON.stringify({ pad: 'x'.repeat(padding) }) };
};

const rejection = async (h: Harness, entries: PutEventsRequestEntry[]) => {
  const error = await h.client.send(new PutEventsCommand({ Entries: entries })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EventBridgeServiceException);
  return error as EventBridgeServiceException;
};

describe('local EventBridge: the total entry size limit', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await stopHarness(h);
    h = undefined;
  });

  it('sizes an entry as AWS documents: Time 14 bytes, then UTF-8 bytes of Source, DetailType, Detail, Resources', () => {
    expect(putEventsEntrySize({ Source: 'ab', DetailType: 'cd', Detail: '{}' })).toBe(6);
    expect(putEventsEntrySize({ Time: new Date(), Source: 'ab', DetailType: 'cd', Detail: '{}' })).toBe(20);
    expect(
      putEventsEntrySize({ Source: 'é', DetailType: '€', Detail: '{"k":"😀"}', Resources: ['r1', 'ré'] }),
    ).toBe(2 + 3 + 12 + 2 + 3);
  });

  it('defaults to the 1 MiB limit: exactly the limit passes, one byte more fails the whole request', async () => {
    h = await startHarness();
    const quarter = PUT_EVENTS_SIZE_LIMIT_BYTES / 4;
    const atLimit = [entryOfSize(quarter), entryOfSize(quarter), entryOfSize(quarter), entryOfSize(quarter)];

    const accepted = await h.client.send(new PutEventsCommand({ Entries: atLimit }));
    expect(accepted.FailedEntryCount).toBe(0);

    const over = await rejection(h, [...atLimit.slice(0, 3), entryOfSize(quarter + 1)]);
    expect(over.name).toBe('ValidationException');
    expect(over.$metadata.httpStatusCode).toBe(400);
    expect(over.message).toBe(OVER_LIMIT);
    expect(h.bus.received()).toHaveLength(4);
  });

  it('holds code to the former 256 KiB limit on request, counting Time and Resources but not EventBusName', async () => {
    h = await startHarness({
      maxRequestEntrySizeBytes: PUT_EVENTS_LEGACY_SIZE_LIMIT_BYTES,
      eventBuses: ['b'.repeat(200)],
    });
    const withTime = { Time: new Date('2026-11-27T09:00:00Z'), Resources: ['arn:aws:s3:::bucket'] };
    const half = PUT_EVENTS_LEGACY_SIZE_LIMIT_BYTES / 2;
    const atLimit = [entryOfSize(half, withTime), entryOfSize(half, { EventBusName: 'b'.repeat(200) })];

    expect((await h.client.send(new PutEventsCommand({ Entries: atLimit }))).FailedEntryCount).toBe(0);

    // The same Detail without Time is 14 bytes smaller: adding Time pushes it over.
    const plain = entryOfSize(half);
    const timed = { ...plain, Time: new Date() };
    expect((await rejection(h, [timed, atLimit[1]!])).message).toBe(OVER_LIMIT);
    expect(h.bus.received()).toHaveLength(2);
  });

  it('checks the size before any entry, so a request over the limit stores nothing', async () => {
    h = await startHarness({ maxRequestEntrySizeBytes: 1_000 });
    const error = await rejection(h, [entryOfSize(400), entryOfSize(400), entryOfSize(201)]);
    expect(error.message).toBe(OVER_LIMIT);
    expect(h.bus.received()).toEqual([]);
    expect(h.bus.stats().entries).toEqual({ stored: 0, dropped: 0, failed: 0 });
  });
});
