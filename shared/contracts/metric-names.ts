/**
 * CloudWatch EMF names shared by the functions (which emit them through Powertools Metrics) and
 * the CDK dashboard and alarms (which chart them), so the two can never drift apart.
 */
export const METRICS_NAMESPACE = 'SubaccountProvisioner';

export const SERVICE = {
  tenantEvents: 'tenant-events',
  reconcile: 'reconcile',
  closeSweep: 'close-sweep',
} as const;

/** Dimension names. Every metric also carries Powertools' default `service` dimension. */
export const DIMENSION = {
  eventType: 'eventType',
  twilioErrorCode: 'twilioErrorCode',
} as const;

/** One count per record outcome, with dimensions `service` + `eventType`. */
export const OUTCOME_METRIC = {
  created: 'Created',
  suspended: 'Suspended',
  reactivated: 'Reactivated',
  closeScheduled: 'CloseScheduled',
  closed: 'Closed',
  rotated: 'CredentialsRotated',
  noop: 'NoOp',
  ignoredStale: 'IgnoredStale',
  deadLettered: 'DeadLettered',
  retried: 'Retried',
} as const;

export type OutcomeMetric = (typeof OUTCOME_METRIC)[keyof typeof OUTCOME_METRIC];

/** Records received per invocation (dimension `service`): the volume line of the dashboard. */
export const RECORDS_RECEIVED_METRIC = 'RecordsReceived';

/** Count of Twilio error answers, with dimensions `service` + `twilioErrorCode`. */
export const TWILIO_ERROR_METRIC = 'TwilioError';

/** Number of drift findings per reconcile run (dimension `service`). */
export const DRIFT_METRIC = 'DriftFindings';

/**
 * One count per create refused because the main account reached its subaccount limit (Twilio
 * 21480, dimension `service`). Raising the limit takes a support ticket, so it has its own alarm.
 */
export const SUBACCOUNT_LIMIT_METRIC = 'SubaccountLimitReached';

/**
 * One count per call refused because the main account itself is suspended (Twilio 21476,
 * dimension `service`). Retryable, but nothing per tenant can fix it: it has its own alarm.
 */
export const MAIN_ACCOUNT_SUSPENDED_METRIC = 'MainAccountSuspended';

/** One count per record handed back because another invocation holds the tenant's lease. */
export const TENANT_BUSY_METRIC = 'TenantBusy';

/** Per close-sweep run (dimension `service`): tenants in their grace period, closes queued, sends refused. */
export const CLOSE_SWEEP_METRIC = {
  closing: 'TenantsClosing',
  queued: 'ClosesQueued',
  failed: 'CloseQueueFailures',
} as const;

/** An outcome event EventBridge did not take (the record is retried); it has an alarm. */
export const OUTCOME_PUBLISH_FAILED_METRIC = 'OutcomePublishFailed';

/**
 * Per reconcile run (dimension `service`): live (non-closed) subaccounts of the main account and
 * its configured limit; the capacity alarm compares the two.
 */
export const CAPACITY_METRIC = {
  liveSubaccounts: 'LiveSubaccounts',
  subaccountLimit: 'SubaccountLimit',
} as const;
