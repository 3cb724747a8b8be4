/**
 * The infrastructure faults of the run, drawn with seeded probabilities by the emulators
 * themselves. Rates are chosen so that, with the Twilio client's and the AWS SDK's own retries and
 * the queue's maxReceiveCount, a valid event practically never exhausts its receives.
 */
import type { LocalCloud } from '../../../local/cloud.ts';
import type { DynamoFaultRule } from '../../../local/dynamodb/index.ts';
import type { SecretsFaultRule } from '../../../local/secrets-emulator/index.ts';
import type { TwilioFaultRule } from '../../../local/twilio-emulator/index.ts';

/** Timing of the run: small, so redeliveries come back within seconds. */
export const RUN_TIMING = {
  /** Lambda's function timeout. */
  functionTimeoutMs: 1_000,
  /**
   * Six times the function timeout, the ratio the stack deploys (infra/constructs/tenant-event-queue.ts,
   * after https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html): a batch must not
   * reappear while the invocation that received it, cold start included, may still be running.
   */
  visibilityTimeoutSeconds: 6,
  maxReceiveCount: 8,
  batchSize: 10,
  /** Concurrent execution environments (each a worker thread running the real handler). */
  concurrency: 4,
  /** How long a new subaccount stays out of the FriendlyName list. */
  listLagSeconds: 2,
  /**
   * Longer than the list lag, so a create whose answer was lost is visible before another may be
   * tried; shorter than the visibility timeout, as the stack's 60 s default is against its 180 s
   * (six function timeouts), so the delivery after a lost create finds the intent settled and looks
   * it up. Longer than a redelivery, each lost create would spend one receive only waiting, which
   * no deployed queue does. (The wait itself is tested in test/unit/shared/domain and
   * test/integration/tenant-events/ledger.test.ts.)
   */
  createSettleSeconds: 5,
} as const;

/** Longer than the function timeout, shorter than the SDK request timeout (5 s): the caller stays connected. */
const HELD_WRITE_MS = RUN_TIMING.functionTimeoutMs * 2;

/**
 * Outcome rules are consulted in order and the first that fires wins, so the probabilities are
 * per request and roughly additive (about one Twilio request in nine is faulted).
 */
export const TWILIO_FAULTS: readonly TwilioFaultRule[] = [
  { route: '*', fault: { kind: 'latency', ms: 150 }, probability: 0.03 },
  { route: '*', fault: { kind: 'rate-limit', retryAfterSeconds: 1 }, probability: 0.01 },
  { route: '*', fault: { kind: 'server-error', status: 500 }, probability: 0.015 },
  { route: '*', fault: { kind: 'server-error', status: 503 }, probability: 0.015 },
  // A create that never reached Twilio, and one applied whose answer was lost: both ambiguous.
  { route: 'create', fault: { kind: 'reset-before' }, probability: 0.06 },
  { route: 'create', fault: { kind: 'reset-after' }, probability: 0.1 },
  { route: 'update', fault: { kind: 'reset-after' }, probability: 0.03 },
];

/**
 * Latency rules come first: the emulator stops at the first error rule that fires. A few writes
 * that follow a Twilio call are held past the function timeout, at random moments, so their
 * invocation runs out of time between the Twilio call and the write.
 */
export const SECRETS_FAULTS: readonly SecretsFaultRule[] = [
  // PutSecretValue only runs for returning customers, so it is drawn more often.
  ...(
    [
      ['CreateSecret', 0.02],
      ['PutSecretValue', 0.15],
      ['TagResource', 0.01],
    ] as const
  ).map(
    ([operation, probability]): SecretsFaultRule => ({
      operation,
      fault: { kind: 'latency', ms: HELD_WRITE_MS },
      times: 3,
      probability,
    }),
  ),
  { operation: '*', fault: { kind: 'throttle' }, probability: 0.03 },
];

/** Operations whose calls the plan holds past the function timeout. */
export const HELD_WRITE_OPERATIONS: readonly string[] = SECRETS_FAULTS.filter(
  (rule) => rule.fault.kind === 'latency',
).map((rule) => rule.operation);

/**
 * The tenant ledger throttles (retryable; the SDK retries it, then SQS), and now and then a
 * conditional write is applied but its answer lost, so the SDK's resend meets its own write.
 */
export const DYNAMODB_FAULTS: readonly DynamoFaultRule[] = [
  { operation: '*', fault: { kind: 'throttle' }, probability: 0.03 },
  { operation: 'UpdateItem', fault: { kind: 'lost-answer' }, probability: 0.01 },
];

export const injectFaults = (cloud: LocalCloud): void => {
  for (const rule of TWILIO_FAULTS) cloud.twilio.injectFault(rule);
  for (const rule of SECRETS_FAULTS) cloud.secrets.injectFault(rule);
  for (const rule of DYNAMODB_FAULTS) cloud.dynamodb.faults.inject(rule);
};

export const clearFaults = (cloud: LocalCloud): void => {
  cloud.twilio.clearFaults();
  cloud.secrets.clearFaults();
  cloud.dynamodb.faults.clear();
};
