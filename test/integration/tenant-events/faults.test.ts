/**
 * Each fault class against the real handler: the effect still happens exactly once, nothing is
 * lost, and permanent failures are dead-lettered with their reason.
 */
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tenantEvent } from '../../helpers/events.ts';
import { type Pipeline, startPipeline } from '../../helpers/pipeline.ts';

let pipeline: Pipeline;

beforeAll(async () => {
  // A short function timeout so an invocation stuck past it is killed, as Lambda would.
  pipeline = await startPipeline({
    functionTimeoutMs: 3_000,
    // Above timeout + cold start: a slow init must not let a second invocation take the message.
    visibilityTimeoutSeconds: 6,
    maxReceiveCount: 5,
    // A create with no answer waits this long before another create; shorter than the default
    // 60 s so its redeliveries fit this suite's five receives of 6 s.
    env: { CREATE_SETTLE_SECONDS: '2' },
  });
}, 60_000);
afterAll(() => pipeline?.stop());
afterEach(() => {
  pipeline.cloud.twilio.clearFaults();
  pipeline.cloud.secrets.clearFaults();
});

/** One live subaccount whose credentials are the stored ones. */
const expectProvisionedOnce = async (tenantId: string) => {
  const live = pipeline.accountsOf(tenantId).filter((account) => account.status !== 'closed');
  expect(live).toHaveLength(1);
  expect(await pipeline.secretOf(tenantId)).toMatchObject({
    accountSid: live[0]?.sid,
    authToken: live[0]?.auth_token,
  });
  return live[0]!;
};

describe('Twilio faults', () => {
  it('waits out a 429 with Retry-After and creates once', async () => {
    pipeline.cloud.twilio.injectFault({
      route: 'create',
      fault: { kind: 'rate-limit', retryAfterSeconds: 1 },
      times: 1,
    });
    const before = pipeline.cloud.twilio.stats().byRoute.create;
    await pipeline.publish(tenantEvent('tenant.created', 'rate-limited'));
    await pipeline.drain();
    await expectProvisionedOnce('rate-limited');
    expect(pipeline.cloud.twilio.stats().byRoute.create - before).toBe(2);
  });

  it('retries 500 and 503 answers of an update', async () => {
    await pipeline.publish(tenantEvent('tenant.created', 'flaky', { at: 1 }));
    await pipeline.drain();
    pipeline.cloud.twilio.injectFault({
      route: 'update',
      fault: { kind: 'server-error', status: 500 },
      times: 1,
    });
    pipeline.cloud.twilio.injectFault({
      route: 'update',
      fault: { kind: 'server-error', status: 503 },
      times: 1,
    });
    await pipeline.publish(tenantEvent('tenant.delinquent', 'flaky', { at: 2 }));
    await pipeline.drain();
    expect(pipeline.accountsOf('flaky').map((account) => account.status)).toEqual(['suspended']);
  });

  it('finds the subaccount of a create whose connection was reset after Twilio applied it', async () => {
    pipeline.cloud.twilio.injectFault({ route: 'create', fault: { kind: 'reset-after' }, times: 1 });
    await pipeline.publish(tenantEvent('tenant.created', 'reset-after'));
    await pipeline.drain();
    await expectProvisionedOnce('reset-after');
    expect(pipeline.cloud.twilio.stats().faultsInjected).toMatchObject({ 'reset-after': 1 });
  });

  it('creates exactly once when the connection was reset before the create was applied', async () => {
    pipeline.cloud.twilio.injectFault({ route: 'create', fault: { kind: 'reset-before' }, times: 1 });
    await pipeline.publish(tenantEvent('tenant.created', 'reset-before'));
    await pipeline.drain();
    await expectProvisionedOnce('reset-before');
  });

  it('picks up a rotated main-account token after a 401, without a cold start', async () => {
    await pipeline.publish(tenantEvent('tenant.created', 'before-rotation'));
    await pipeline.drain();
    const rotated = pipeline.cloud.twilio.rotateAuthToken();
    await pipeline.cloud.secretsClient.send(
      new PutSecretValueCommand({
        SecretId: pipeline.cloud.parentCredentialsSecretName,
        SecretString: JSON.stringify({ accountSid: pipeline.cloud.twilio.accountSid, authToken: rotated }),
      }),
    );
    const coldStarts = pipeline.runner.stats().coldStarts;
    const before = pipeline.cloud.twilio.requestLog().length;
    await pipeline.publish(tenantEvent('tenant.created', 'after-rotation'));
    await pipeline.drain();
    await expectProvisionedOnce('after-rotation');
    const statuses = pipeline.cloud.twilio
      .requestLog()
      .slice(before)
      .map((entry) => entry.status);
    expect(statuses).toContain(401);
    expect(pipeline.runner.stats().coldStarts).toBe(coldStarts);
  });
});

describe('Secrets Manager faults and crashes', () => {
  it('survives throttling beyond the SDK retries through SQS redelivery, creating once', async () => {
    pipeline.cloud.secrets.injectFault({ operation: 'CreateSecret', fault: { kind: 'throttle' }, times: 4 });
    await pipeline.publish(tenantEvent('tenant.created', 'throttled'));
    await pipeline.drain();
    await expectProvisionedOnce('throttled');
    const attempts = pipeline.outcomes().filter((entry) => entry.tenantId === 'throttled');
    expect(attempts.map((entry) => entry.outcome)).toEqual(['retried', 'created']);
    expect(attempts[1]?.attempt).toBe(2);
  });

  it('repairs a crash between the Twilio create and the secret write on redelivery', async () => {
    // The secret write hangs past the function timeout (and before the SDK's own request
    // timeout would cut it short): the runner kills the execution
    // environment, as Lambda does, and the write is never applied.
    pipeline.cloud.secrets.injectFault({
      operation: 'CreateSecret',
      fault: { kind: 'latency', ms: 15_000 },
      times: 1,
    });
    const timedOut = pipeline.runner.stats().timedOut;
    await pipeline.publish(tenantEvent('tenant.created', 'crashed'));
    await pipeline.drain();
    expect(pipeline.runner.stats().timedOut).toBe(timedOut + 1);
    await expectProvisionedOnce('crashed');
  });
});

describe('permanent Twilio refusals', () => {
  let limited: Pipeline;
  beforeAll(async () => {
    limited = await startPipeline({ twilio: { subaccountLimit: 1 } });
  }, 60_000);
  afterAll(() => limited?.stop());

  it('dead-letters a create refused by the subaccount limit without retrying it', async () => {
    // One after the other: two tenants created at once race for the one free slot.
    await limited.publish(tenantEvent('tenant.created', 'first'));
    await limited.drain();
    await limited.publish(tenantEvent('tenant.created', 'second'));
    await limited.drain();
    expect(limited.accountsOf('first')).toHaveLength(1);
    expect(limited.accountsOf('second')).toHaveLength(0);
    const [letter, ...more] = await limited.takeDeadLetters();
    expect(more).toEqual([]);
    expect(letter?.attributes).toMatchObject({ tenantId: 'second', receiveCount: '1' });
    expect(letter?.attributes.errorCode).toBe('SUBACCOUNT_LIMIT_REACHED');
    expect(letter?.attributes.reason).toMatch(/21480/);
    // Its own metric, which the SubaccountLimitReached alarm watches.
    const emf = limited.logs.filter((line) => line.includes('"SubaccountLimitReached"'));
    expect(emf.map((line) => (JSON.parse(line) as Record<string, unknown>).SubaccountLimitReached)).toEqual([
      1,
    ]);
    const outcome = limited.outcomes().find((entry) => entry.tenantId === 'second');
    expect(outcome).toMatchObject({
      outcome: 'dead-lettered',
      twilioErrorCode: expect.stringMatching(/^\d+$/),
    });
  });
});
