/**
 * Environment variable names shared by the functions (which read them at cold start) and the
 * CDK stack (which sets them), so the two can never drift apart.
 */
export const ENV = {
  /** Secrets Manager name prefix for tenant secrets: `${SECRET_PREFIX}/${tenantId}`. */
  secretPrefix: 'SECRET_PREFIX',
  /** Name or ARN of the secret holding the main account's `{ accountSid, authToken }`. */
  parentCredentialsSecret: 'PARENT_CREDENTIALS_SECRET',
  /** Seconds the main-account credentials are cached per container. */
  parentCredentialsTtlSeconds: 'PARENT_CREDENTIALS_TTL_SECONDS',
  /** URL of the dead-letter queue permanent failures are sent to. */
  deadLetterQueueUrl: 'DEAD_LETTER_QUEUE_URL',
  /** FriendlyName template; must contain `{tenantId}` exactly once. */
  friendlyNameTemplate: 'FRIENDLY_NAME_TEMPLATE',
  /** Days a churned tenant's secret stays recoverable (7..30). */
  secretRecoveryWindowDays: 'SECRET_RECOVERY_WINDOW_DAYS',
  /** Optional customer-managed KMS key for tenant secrets. */
  secretsKmsKeyId: 'SECRETS_KMS_KEY_ID',
  /** Twilio API base URL; `https://api.twilio.com` unless overridden (emulator). */
  twilioApiBaseUrl: 'TWILIO_API_BASE_URL',
  /** Maximum attempts per Twilio call (retryable failures only). */
  twilioMaxAttempts: 'TWILIO_MAX_ATTEMPTS',
  /** Tenants processed concurrently inside one batch. */
  tenantConcurrency: 'TENANT_CONCURRENCY',
  /** Name of the DynamoDB tenant ledger table (order, lease and create intent per tenant). */
  tenantLedgerTable: 'TENANT_LEDGER_TABLE',
  /** Seconds an unanswered create must age before another create may be tried. */
  createSettleSeconds: 'CREATE_SETTLE_SECONDS',
  /** Seconds an event's occurredAt may lie ahead of now before it is refused as from the future. */
  maxClockSkewSeconds: 'MAX_CLOCK_SKEW_SECONDS',
  /** The EventBridge bus outcome events go to (name or ARN); `default` unless set. */
  outcomeEventBus: 'OUTCOME_EVENT_BUS',
  /** What a tenant's secret holds: `auth-token`, `api-key` or `both`. */
  tenantCredentials: 'TENANT_CREDENTIALS',
  /** Days between a churn and the close of the subaccount; 0 closes at once. */
  churnGraceDays: 'CHURN_GRACE_DAYS',
  /** The tenant-events queue, for the close sweep that sends close-due events to it. */
  tenantEventsQueueUrl: 'TENANT_EVENTS_QUEUE_URL',
  /** The main account's subaccount limit (Twilio's default is 1000), for the capacity metric. */
  subaccountLimit: 'SUBACCOUNT_LIMIT',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
