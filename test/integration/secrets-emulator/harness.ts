import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  type SecretsManagerEmulator,
  type SecretsManagerEmulatorOptions,
  startSecretsManagerEmulator,
} from '../../../local/secrets-emulator/index.ts';

export const FAKE_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** 32..64 characters, as ClientRequestToken requires. */
export const token = (n: number): string => `token-${String(n).padStart(26, '0')}`;

export interface Harness {
  emulator: SecretsManagerEmulator;
  client: SecretsManagerClient;
}

export const clientFor = (emulator: SecretsManagerEmulator, maxAttempts = 1): SecretsManagerClient =>
  new SecretsManagerClient({
    endpoint: emulator.url,
    region: emulator.region,
    credentials: FAKE_CREDENTIALS,
    maxAttempts,
  });

export const startHarness = async (options: SecretsManagerEmulatorOptions = {}): Promise<Harness> => {
  const emulator = await startSecretsManagerEmulator(options);
  return { emulator, client: clientFor(emulator) };
};

export const stopHarness = async (harness: Harness | undefined): Promise<void> => {
  harness?.client.destroy();
  await harness?.emulator.close();
};

/** A clock the test moves by hand, so recovery windows can pass without waiting. */
export const manualClock = (start = '2030-01-15T10:30:00.000Z') => {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advanceDays: (days: number) => {
      current += days * 86_400_000;
    },
    advanceMs: (ms: number) => {
      current += ms;
    },
  };
};

/** A request the SDK would never send, straight over HTTP. */
export const rawCall = async (
  url: string,
  target: string | undefined,
  body: string,
  init: { method?: string } = {},
): Promise<{ status: number; errorType: string | null; json: Record<string, unknown> }> => {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (target !== undefined) headers['x-amz-target'] = target;
  const response = await fetch(`${url}/`, {
    method: init.method ?? 'POST',
    headers,
    ...(init.method === 'GET' ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    errorType: response.headers.get('x-amzn-errortype'),
    json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
};
