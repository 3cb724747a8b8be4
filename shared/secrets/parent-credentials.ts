/**
 * The main Twilio account's credentials, read from a Secrets Manager secret
 * (`{ "accountSid", "authToken" }`, or an API key: `{ "accountSid", "apiKeySid", "apiKeySecret" }`),
 * cached per container with a TTL and re-read once when Twilio answers 401 (the token was rotated).
 * Never taken from plain environment variables.
 */

import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ACCOUNT_SID_PATTERN } from '../domain/ports.ts';
import { ProvisionerError } from '../errors.ts';
import type { TwilioCredentialSource, TwilioCredentials } from '../twilio/types.ts';
import * as z from '../zod.ts';
import { SecretsManagerCallError } from './errors.ts';

const parentCredentialsSchema = z.union([
  z.object({
    accountSid: z.string().check(z.regex(ACCOUNT_SID_PATTERN)),
    apiKeySid: z.string().check(z.regex(/^SK[0-9a-fA-F]{32}$/)),
    apiKeySecret: z.string().check(z.minLength(1)),
  }),
  z.object({
    accountSid: z.string().check(z.regex(ACCOUNT_SID_PATTERN)),
    authToken: z.string().check(z.minLength(1)),
  }),
]);

/** The parent secret holds something else. The message names the secret, never its content. */
export class ParentCredentialsInvalidError extends ProvisionerError {
  readonly code = 'PARENT_CREDENTIALS_INVALID';

  constructor(secretId: string) {
    super(
      `secret "${secretId}" must hold JSON { "accountSid": "AC…", "authToken": "…" } (or accountSid + apiKeySid + apiKeySecret)`,
      { retryable: false, context: { secretId } },
    );
  }
}

export interface ParentCredentialsSourceOptions {
  readonly client: SecretsManagerClient;
  /** Name or ARN. */
  readonly secretId: string;
  readonly ttlMs: number;
  readonly now?: () => number;
}

export interface ParentCredentialsSource extends TwilioCredentialSource {
  refresh(): Promise<TwilioCredentials>;
  /**
   * Starts reading the secret now (at cold start, during Lambda's init phase) without waiting.
   * A failure is not lost: the next `current()` reads again and throws it where it can be handled.
   */
  prefetch(): void;
}

export const createParentCredentialsSource = ({
  client,
  secretId,
  ttlMs,
  now = Date.now,
}: ParentCredentialsSourceOptions): ParentCredentialsSource => {
  let cached: { credentials: TwilioCredentials; expiresAt: number } | undefined;
  let inFlight: Promise<TwilioCredentials> | undefined;

  const fetchOnce = async (): Promise<TwilioCredentials> => {
    let text: string | undefined;
    try {
      text = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
    } catch (error) {
      throw new SecretsManagerCallError('GetSecretValue', secretId, error);
    }
    let json: unknown;
    try {
      json = JSON.parse(text ?? '');
    } catch {
      throw new ParentCredentialsInvalidError(secretId);
    }
    const parsed = parentCredentialsSchema.safeParse(json);
    if (!parsed.success) throw new ParentCredentialsInvalidError(secretId);
    cached = { credentials: parsed.data, expiresAt: now() + ttlMs };
    return parsed.data;
  };

  /** Concurrent callers share one GetSecretValue. */
  const load = (): Promise<TwilioCredentials> => {
    inFlight ??= fetchOnce().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  return {
    current: () => (cached !== undefined && cached.expiresAt > now() ? cached.credentials : load()),
    refresh: load,
    prefetch: () => {
      load().catch(() => {});
    },
  };
};
