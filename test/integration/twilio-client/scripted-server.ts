/**
 * A plain node:http server on loopback whose answers are scripted one request at a time, and
 * which records every request it received (to prove what was, or was not, sent).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** Answers one request; may also hold it forever or destroy the socket. */
export type Step = (res: ServerResponse, req: ReceivedRequest) => void;

export interface ScriptedServer {
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedRequest[];
  /** Steps are used in order; the last one repeats. */
  script(...steps: Step[]): void;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export const listenOn = (server: Server, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

export const startScriptedServer = async (port = 0): Promise<ScriptedServer> => {
  const received: ReceivedRequest[] = [];
  let steps: Step[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(request);
      const step = steps.length > 1 ? steps.shift() : steps[0];
      step?.(res, request);
    });
  });
  const boundPort = await listenOn(server, port);
  return {
    url: `http://127.0.0.1:${boundPort}`,
    port: boundPort,
    received,
    script: (...next) => {
      steps = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Step =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

export const twilioError =
  (status: number, code: number, message: string, headers: Record<string, string> = {}): Step =>
  (res, req) =>
    json(
      status,
      { code, message, more_info: `https://www.twilio.com/docs/api/errors/${code}`, status },
      headers,
    )(res, req);

export const raw =
  (status: number, body: string, contentType = 'text/html'): Step =>
  (res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  };

/** Never answers: the client's headers timeout (or deadline) has to end it. */
export const hang: Step = () => {};

/** Reads the request, then drops the connection without an answer. */
export const dropConnection: Step = (res) => {
  res.socket?.destroy();
};

export const accountJson = (sid: string, overrides: Record<string, unknown> = {}) => ({
  auth_token: 'a'.repeat(32),
  date_created: 'Thu, 30 Jul 2015 20:00:00 +0000',
  date_updated: 'Thu, 30 Jul 2015 20:00:00 +0000',
  friendly_name: 'tenant-1',
  owner_account_sid: `AC${'f'.repeat(32)}`,
  sid,
  status: 'active',
  subresource_uris: {},
  type: 'Full',
  uri: `/2010-04-01/Accounts/${sid}.json`,
  ...overrides,
});
