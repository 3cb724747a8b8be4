/**
 * Twilio, Secrets Manager and DynamoDB requests per event type on the happy path, counted by the
 * emulators around each single-record invocation, next to the fewest the design can make:
 *
 * - every event: DynamoDB 2 at least: the lease (one conditional UpdateItem that also returns the
 *   ledger entry, so no read is needed) and the fenced commit (state, watermark and release in one
 *   conditional UpdateItem).
 * - tenant.created: Twilio 2 (exact-match list by FriendlyName, then create: Twilio's create has
 *   no idempotency key, so the lookup is what makes a retried or unanswered create safe), Secrets
 *   Manager 2 (DescribeSecret adopts a tenant provisioned before the ledger existed, asked only
 *   when the ledger has no state for it; CreateSecret writes value and tags in one call) and
 *   DynamoDB 2 (the create intent, which must be durable before the create POST, is written by
 *   the lease's own UpdateItem; a third write only when an earlier attempt's intent has settled).
 * - tenant.delinquent / tenant.reinstated: Twilio 1 (update status), Secrets Manager 1
 *   (TagResource keeps the lifecycle mirror on the secret for people and tag-based access).
 * - tenant.churned: Twilio 1 (close), Secrets Manager 2 (TagResource marks it closed; DeleteSecret
 *   schedules deletion, after which it can no longer be tagged).
 *
 * The main account's credentials (GetSecretValue) are read once per container and cached, so they
 * are counted apart, not per event.
 */
import type { LocalCloud } from '../local/cloud.ts';
import type { TenantEventType } from '../shared/domain/event.ts';
import { BenchRunError } from './errors.ts';
import { freshTenantId, invocationContext, sqsEventOf, tenantEvents } from './events.ts';
import { createInProcessApp } from './in-process-app.ts';
import { FUNCTION_TIMEOUT_MS } from './lambda-env.ts';

export interface CallCounts {
  readonly twilio: number;
  readonly secrets: number;
  readonly dynamodb: number;
}

export interface EventCalls extends CallCounts {
  readonly minimum: CallCounts;
  readonly atMinimum: boolean;
  /** Requests per Twilio route (list, create, fetch, update) and per Secrets Manager operation. */
  readonly twilioByRoute: Readonly<Record<string, number>>;
  readonly secretsByOperation: Readonly<Record<string, number>>;
  readonly dynamodbByOperation: Readonly<Record<string, number>>;
  /** Tenants the sequence ran for; every one of them must have made the same calls. */
  readonly samples: number;
}

export type CallsPerEventResult = Readonly<Record<TenantEventType, EventCalls>> & {
  readonly perContainer: CallCounts & { readonly secretsByOperation: Readonly<Record<string, number>> };
};

const SEQUENCE = [
  'tenant.created',
  'tenant.delinquent',
  'tenant.reinstated',
  'tenant.churned',
] as const satisfies readonly TenantEventType[];

export const MINIMUM_CALLS: Readonly<Record<(typeof SEQUENCE)[number], CallCounts>> = {
  'tenant.created': { twilio: 2, secrets: 2, dynamodb: 2 },
  'tenant.delinquent': { twilio: 1, secrets: 1, dynamodb: 2 },
  'tenant.reinstated': { twilio: 1, secrets: 1, dynamodb: 2 },
  'tenant.churned': { twilio: 1, secrets: 2, dynamodb: 2 },
};

interface Observation {
  readonly twilioByRoute: Record<string, number>;
  readonly secretsByOperation: Record<string, number>;
  readonly dynamodbByOperation: Record<string, number>;
  readonly twilio: number;
  readonly secrets: number;
  readonly dynamodb: number;
}

const nonZero = (counts: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));

const observe = async (cloud: LocalCloud, action: () => Promise<void>): Promise<Observation> => {
  cloud.twilio.resetStats();
  cloud.secrets.resetStats();
  cloud.dynamodb.resetStats();
  await action();
  const twilio = cloud.twilio.stats();
  const secrets = cloud.secrets.stats();
  const dynamodb = cloud.dynamodb.stats();
  return {
    twilioByRoute: nonZero({ ...twilio.byRoute }),
    secretsByOperation: nonZero(secrets.byOperation),
    dynamodbByOperation: nonZero({ ...dynamodb.byOperation }),
    twilio: twilio.total,
    secrets: secrets.total,
    dynamodb: dynamodb.total,
  };
};

const same = (a: Observation, b: Observation): boolean =>
  JSON.stringify([a.twilioByRoute, a.secretsByOperation, a.dynamodbByOperation]) ===
  JSON.stringify([b.twilioByRoute, b.secretsByOperation, b.dynamodbByOperation]);

export const measureCallsPerEvent = async (
  cloud: LocalCloud,
  options: { tenants: number },
): Promise<CallsPerEventResult> => {
  const app = createInProcessApp(cloud);
  const perContainer = await observe(cloud, async () => {
    await app.parentCredentials.current();
  });
  const seen = new Map<TenantEventType, Observation[]>(SEQUENCE.map((type) => [type, []]));
  for (let t = 0; t < options.tenants; t += 1) {
    const events = tenantEvents(freshTenantId('calls'), SEQUENCE);
    for (const event of events) {
      const observation = await observe(cloud, async () => {
        const response = await app.handleBatch(
          sqsEventOf([event], { queueArn: cloud.sqs.queueArn, region: cloud.region }),
          invocationContext(FUNCTION_TIMEOUT_MS),
        );
        if (response.batchItemFailures.length > 0)
          throw new BenchRunError('calls per event', `${event.type} failed`);
      });
      seen.get(event.type)!.push(observation);
    }
  }
  const perType = Object.fromEntries(
    SEQUENCE.map((type) => {
      const observations = seen.get(type)!;
      const first = observations[0]!;
      // The design makes the same calls for every tenant; a difference would be a finding.
      if (!observations.every((o) => same(o, first)))
        throw new BenchRunError('calls per event', `${type} made different calls for different tenants`);
      const minimum = MINIMUM_CALLS[type];
      const calls: EventCalls = {
        twilio: first.twilio,
        secrets: first.secrets,
        dynamodb: first.dynamodb,
        minimum,
        atMinimum:
          first.twilio === minimum.twilio &&
          first.secrets === minimum.secrets &&
          first.dynamodb === minimum.dynamodb,
        twilioByRoute: first.twilioByRoute,
        secretsByOperation: first.secretsByOperation,
        dynamodbByOperation: first.dynamodbByOperation,
        samples: observations.length,
      };
      return [type, calls];
    }),
  ) as Record<TenantEventType, EventCalls>;
  return {
    ...perType,
    perContainer: {
      twilio: perContainer.twilio,
      secrets: perContainer.secrets,
      dynamodb: perContainer.dynamodb,
      secretsByOperation: perContainer.secretsByOperation,
    },
  };
};
