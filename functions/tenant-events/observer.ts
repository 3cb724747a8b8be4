/**
 * What happened to each record, and how it is reported: as one structured JSON log line each (Powertools Logger) and as EMF metrics
 * (Powertools Metrics): one count per outcome with the event type as a dimension, and one count
 * per Twilio error code. The dashboard charts exactly these names (metric-names.ts).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  DIMENSION,
  MAIN_ACCOUNT_SUSPENDED_METRIC,
  OUTCOME_METRIC,
  OUTCOME_PUBLISH_FAILED_METRIC,
  SUBACCOUNT_LIMIT_METRIC,
  TENANT_BUSY_METRIC,
  TWILIO_ERROR_METRIC,
} from '../../shared/contracts/metric-names.ts';
import type { OutcomeKind } from '../../shared/domain/apply-tenant-event.ts';

/** What happened to one SQS record. Logged as one line; never carries a token. */
export interface RecordOutcome {
  readonly messageId: string;
  readonly tenantId?: string;
  readonly eventId?: string;
  readonly type?: string;
  readonly accountSid?: string;
  /** `busy`: another invocation holds the tenant's lease; retried later, never dead-lettered. */
  readonly outcome: OutcomeKind | 'dead-lettered' | 'retried' | 'busy' | 'skipped';
  /** SQS ApproximateReceiveCount: 1 on first delivery. */
  readonly attempt: number;
  readonly durationMs: number;
  readonly note?: string;
  readonly errorCode?: string;
  readonly reason?: string;
  readonly twilioErrorCode?: string;
}

export interface RecordObserver {
  record(outcome: RecordOutcome): void;
}

const METRIC_OF: Readonly<Record<RecordOutcome['outcome'], string | undefined>> = {
  created: OUTCOME_METRIC.created,
  suspended: OUTCOME_METRIC.suspended,
  reactivated: OUTCOME_METRIC.reactivated,
  'close-scheduled': OUTCOME_METRIC.closeScheduled,
  closed: OUTCOME_METRIC.closed,
  rotated: OUTCOME_METRIC.rotated,
  noop: OUTCOME_METRIC.noop,
  'ignored-stale': OUTCOME_METRIC.ignoredStale,
  'dead-lettered': OUTCOME_METRIC.deadLettered,
  retried: OUTCOME_METRIC.retried,
  busy: TENANT_BUSY_METRIC,
  skipped: undefined,
};

const LEVEL_OF: Readonly<Record<RecordOutcome['outcome'], 'info' | 'warn' | 'error'>> = {
  created: 'info',
  suspended: 'info',
  reactivated: 'info',
  'close-scheduled': 'info',
  closed: 'info',
  rotated: 'info',
  noop: 'info',
  'ignored-stale': 'warn',
  'dead-lettered': 'error',
  retried: 'warn',
  busy: 'warn',
  skipped: 'warn',
};

/** Error codes with a metric of their own, because each has an alarm of its own. */
const METRIC_OF_ERROR_CODE: Readonly<Record<string, string>> = {
  SUBACCOUNT_LIMIT_REACHED: SUBACCOUNT_LIMIT_METRIC,
  MAIN_ACCOUNT_SUSPENDED: MAIN_ACCOUNT_SUSPENDED_METRIC,
  OUTCOME_PUBLISH_FAILED: OUTCOME_PUBLISH_FAILED_METRIC,
};

export const createPowertoolsObserver = ({
  logger,
  metrics,
}: {
  logger: Logger;
  metrics: Metrics;
}): RecordObserver => ({
  record: (outcome) => {
    const message = outcome.outcome === 'busy' ? 'tenant busy' : `record ${outcome.outcome}`;
    logger[LEVEL_OF[outcome.outcome]](message, { ...outcome });
    const errorMetric = outcome.errorCode === undefined ? undefined : METRIC_OF_ERROR_CODE[outcome.errorCode];
    if (errorMetric !== undefined) metrics.addMetric(errorMetric, MetricUnit.Count, 1);
    const metricName = METRIC_OF[outcome.outcome];
    if (metricName !== undefined) {
      const single = metrics.singleMetric();
      single.addDimension(DIMENSION.eventType, outcome.type ?? 'unknown');
      single.addMetric(metricName, MetricUnit.Count, 1);
    }
    if (outcome.twilioErrorCode !== undefined) {
      const single = metrics.singleMetric();
      single.addDimension(DIMENSION.twilioErrorCode, outcome.twilioErrorCode);
      single.addMetric(TWILIO_ERROR_METRIC, MetricUnit.Count, 1);
    }
  },
});
