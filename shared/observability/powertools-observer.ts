/**
 * Record outcomes as one structured JSON log line each (Powertools Logger) and as EMF metrics
 * (Powertools Metrics): one count per outcome with the event type as a dimension, and one count
 * per Twilio error code. The dashboard charts exactly these names (metric-names.ts).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RecordObserver, RecordOutcome } from '../processing/record-observer.ts';
import { DIMENSION, OUTCOME_METRIC, type OutcomeMetric, TWILIO_ERROR_METRIC } from './metric-names.ts';

const METRIC_OF: Readonly<Record<RecordOutcome['outcome'], OutcomeMetric | undefined>> = {
  created: OUTCOME_METRIC.created,
  suspended: OUTCOME_METRIC.suspended,
  reactivated: OUTCOME_METRIC.reactivated,
  closed: OUTCOME_METRIC.closed,
  noop: OUTCOME_METRIC.noop,
  'ignored-stale': OUTCOME_METRIC.ignoredStale,
  'dead-lettered': OUTCOME_METRIC.deadLettered,
  retried: OUTCOME_METRIC.retried,
  skipped: undefined,
};

const LEVEL_OF: Readonly<Record<RecordOutcome['outcome'], 'info' | 'warn' | 'error'>> = {
  created: 'info',
  suspended: 'info',
  reactivated: 'info',
  closed: 'info',
  noop: 'info',
  'ignored-stale': 'warn',
  'dead-lettered': 'error',
  retried: 'warn',
  skipped: 'warn',
};

export const createPowertoolsObserver = ({
  logger,
  metrics,
}: {
  logger: Logger;
  metrics: Metrics;
}): RecordObserver => ({
  record: (outcome) => {
    logger[LEVEL_OF[outcome.outcome]](`record ${outcome.outcome}`, { ...outcome });
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
