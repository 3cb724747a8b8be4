/**
 * The attributes a dead letter carries: the tenant-events function writes them, `tenants dlq`
 * and `npm start` read them back. Named once here so writer and readers cannot drift apart.
 */
/** Message attribute names on dead-lettered messages (read back by `tenants dlq list`). */
export const DLQ_ATTRIBUTE = {
  errorCode: 'errorCode',
  reason: 'reason',
  originalMessageId: 'originalMessageId',
  receiveCount: 'receiveCount',
  tenantId: 'tenantId',
  /** UTF-8 size of the body as it was received, before any cut. */
  originalBodyBytes: 'originalBodyBytes',
  /** Hex SHA-256 of the body as it was received (its UTF-8 bytes). */
  originalBodySha256: 'originalBodySha256',
  /** Present only when something is not as received: a comma-separated list of TRUNCATED parts. */
  truncated: 'truncated',
} as const;

/** What `truncated` can name. */
export const TRUNCATED = {
  /** The body was cut to fit, or characters SQS refuses were replaced: compare originalBodySha256. */
  body: 'body',
  reason: 'reason',
  tenantId: 'tenantId',
  /** Attributes of the original message were dropped (no room, binary) or cut. */
  attributes: 'attributes',
} as const;
