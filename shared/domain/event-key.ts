/**
 * Deterministic identifiers derived from an eventId, so that every retry of the same event makes
 * the same writes (idempotency) whatever process performs it.
 */
import { createHash } from 'node:crypto';
import { isTagValue } from './tag-value.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The eventId as stored in the tenant's watermark tag: itself when tag-safe, else a digest. */
export const eventKey = (eventId: string): string =>
  eventId !== '' && isTagValue(eventId, 128) ? eventId : `sha256:${sha256(eventId)}`;

/**
 * A Secrets Manager ClientRequestToken (32..64 characters) for one write step of one event: the
 * same event retried makes no new secret version, a different event does.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html
 */
export const requestToken = (eventId: string, step: string): string => {
  const hex = sha256(`${step}\u0000${eventId}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};
