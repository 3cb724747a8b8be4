import { InternalException, PutEventsCommand, ThrottlingException } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalEventBridgeConfigError } from '../../../local/eventbridge/index.ts';
import { seededRandom } from '../../helpers/seeded-random.ts';
import { type Harness, startHarness, stopHarness, tenantEntry } from './harness.ts';

const put = (h: Harness, tenants: string[], maxAttempts = 1) =>
  h
    .clientWith(maxAttempts)
    .send(new PutEventsCommand({ Entries: tenants.map((tenant) => tenantEntry(tenant)) }));

const tenantsOn = (h: Harness) => h.bus.received().map((event) => event.detail.tenantId);

describe('local EventBridge: faults', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await stopHarness(h);
    h = undefined;
  });

  it('fails the next call with 500 InternalException and stores nothing', async () => {
    h = await startHarness();
    h.bus.faults.failNext(1);

    const error = await put(h, ['a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalException);
    expect((error as InternalException).$metadata.httpStatusCode).toBe(500);
    expect(h.bus.received()).toEqual([]);

    await put(h, ['b']);
    expect(tenantsOn(h)).toEqual(['b']);
    expect(h.bus.stats().faultsInjected).toEqual({ 'internal-error': 1 });
  });

  it('lets the SDK retry an InternalException and a request-level ThrottlingException', async () => {
    h = await startHarness();
    h.bus.faults.failNext(1);
    h.bus.faults.failNext(1, 'throttle');

    const output = await put(h, ['a'], 3);

    expect(output.$metadata.attempts).toBe(3);
    expect(tenantsOn(h)).toEqual(['a']);
    expect(h.bus.stats()).toMatchObject({
      byOperation: { PutEvents: 3 },
      faultsInjected: { 'internal-error': 1, throttle: 1 },
    });
  });

  it('surfaces the request-level throttle as ThrottlingException when retries are off', async () => {
    h = await startHarness();
    h.bus.faults.failNext(1, 'throttle');
    const error = await put(h, ['a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).$metadata.httpStatusCode).toBe(400);
  });

  it('throttles every entry of the next call in a 200, which the SDK does not retry', async () => {
    h = await startHarness();
    h.bus.faults.throttleEntriesOfNext(1);

    const output = await put(h, ['a', 'b'], 3);

    expect(output.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
    expect(output.FailedEntryCount).toBe(2);
    expect(output.Entries).toEqual([
      { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
      { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
    ]);
    expect(h.bus.received()).toEqual([]);

    await put(h, ['a', 'b']);
    expect(tenantsOn(h)).toEqual(['a', 'b']);
  });

  it('throttles chosen entries only, so resending the failed ones completes the batch', async () => {
    h = await startHarness();
    h.bus.faults.throttleEntriesOfNext(1, [1]);

    const first = await put(h, ['a', 'b', 'c']);
    expect(first.FailedEntryCount).toBe(1);
    expect(first.Entries?.map((entry) => entry.ErrorCode ?? 'ok')).toEqual([
      'ok',
      'ThrottlingException',
      'ok',
    ]);

    await put(h, ['b']);
    expect(tenantsOn(h)).toEqual(['a', 'c', 'b']);
    expect(h.bus.stats().entries).toEqual({ stored: 3, dropped: 0, failed: 1 });
  });

  it('can fail entries with InternalFailure, leaving invalid entries their own error', async () => {
    h = await startHarness();
    h.bus.faults.inject({ fault: { kind: 'entry-internal-failure' }, times: 1 });
    const output = await h.client.send(
      new PutEventsCommand({ Entries: [tenantEntry('a'), { ...tenantEntry('b'), Detail: 'nope' }] }),
    );
    expect(output.Entries?.map((entry) => entry.ErrorCode)).toEqual(['InternalFailure', 'MalformedDetail']);
  });

  it('adds a fixed latency, removed with setLatency(0)', async () => {
    h = await startHarness();
    h.bus.faults.setLatency(60);
    const started = performance.now();
    await put(h, ['a']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(h.bus.faults.active()).toEqual([{ fault: { kind: 'latency', ms: 60 } }]);
    h.bus.faults.setLatency(0);
    expect(h.bus.faults.active()).toEqual([]);
  });

  it('stores nothing when the caller gives up during the latency', async () => {
    h = await startHarness();
    h.bus.faults.setLatency(300);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    await expect(
      h.client.send(new PutEventsCommand({ Entries: [tenantEntry('a')] }), { abortSignal: abort.signal }),
    ).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(h.bus.received()).toEqual([]);
  });

  it('fires by probability, repeatably from a seeded random', async () => {
    const calls = 30;
    const expected = Array.from({ length: calls }, seededRandom(11)).filter((draw) => draw < 0.4).length;
    h = await startHarness({
      random: seededRandom(11),
      faults: [{ fault: { kind: 'entry-throttle' }, probability: 0.4 }],
    });
    let failed = 0;
    for (let call = 0; call < calls; call += 1) failed += (await put(h, [`t${call}`])).FailedEntryCount ?? 0;
    expect(failed).toBe(expected);
    expect(failed).toBeGreaterThan(0);
    expect(h.bus.received()).toHaveLength(calls - expected);
  });

  it('refuses a malformed rule with a stable, non-retryable code', async () => {
    h = await startHarness();
    const refused = [
      () => h!.bus.faults.inject({ fault: { kind: 'explode' } as never }),
      () => h!.bus.faults.inject({ fault: { kind: 'entry-throttle', entries: [-1] } }),
      () => h!.bus.faults.inject({ fault: { kind: 'throttle' }, times: 1.5 }),
      () => h!.bus.faults.inject({ fault: { kind: 'throttle' }, probability: -0.1 }),
      () => h!.bus.faults.setLatency(-5),
    ];
    for (const call of refused) {
      expect(call).toThrow(LocalEventBridgeConfigError);
      try {
        call();
      } catch (error) {
        expect(error).toMatchObject({ code: 'LOCAL_EVENTBRIDGE_CONFIG', retryable: false });
      }
    }
    expect(h.bus.faults.active()).toEqual([]);
  });
});
