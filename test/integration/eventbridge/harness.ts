import { EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import {
  type LocalEventBridge,
  type LocalEventBridgeOptions,
  startLocalEventBridge,
} from '../../../local/eventbridge/index.ts';
import { LOCAL_AWS_CREDENTIALS } from '../../../local/sqs/credentials.ts';

export interface Harness {
  bus: LocalEventBridge;
  /** maxAttempts 1: every answer as the service gave it, no SDK retry. */
  client: EventBridgeClient;
  clientWith(maxAttempts: number): EventBridgeClient;
  readonly clients: EventBridgeClient[];
}

export const startHarness = async (options: LocalEventBridgeOptions = {}): Promise<Harness> => {
  const bus = await startLocalEventBridge(options);
  const clients: EventBridgeClient[] = [];
  const clientWith = (maxAttempts: number) => {
    const client = new EventBridgeClient({
      endpoint: bus.url,
      region: bus.region,
      credentials: { ...LOCAL_AWS_CREDENTIALS },
      maxAttempts,
    });
    clients.push(client);
    return client;
  };
  return { bus, client: clientWith(1), clientWith, clients };
};

export const stopHarness = async (harness: Harness | undefined): Promise<void> => {
  for (const client of harness?.clients.splice(0) ?? []) client.destroy();
  await harness?.bus.close();
};

/** A tenant event as the platform would publish it. */
export const tenantEntry = (
  tenantId: string,
  extra: Partial<PutEventsRequestEntry> = {},
): PutEventsRequestEntry => ({
  Source: 'saas.platform',
  DetailType: 'tenant.created',
  Detail: JSON.stringify({
    tenantId,
    eventId: `evt-${tenantId}`,
    occurredAt: '2026-11-27T09:00:00Z',
    version: 1,
  }),
  ...extra,
});

/** A request the SDK would never send, straight over HTTP. */
export const rawCall = async (
  url: string,
  target: string | undefined,
  body: string,
): Promise<{ status: number; errorType: string | null; json: Record<string, unknown> }> => {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (target !== undefined) headers['x-amz-target'] = target;
  const response = await fetch(`${url}/`, { method: 'POST', headers, body });
  const text = await response.text();
  return {
    status: response.status,
    errorType: response.headers.get('x-amzn-errortype'),
    json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
};
