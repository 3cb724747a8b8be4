/** node:http plumbing: bounded body reading, JSON answers, client-disconnect detection. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyTooLarge, type TwilioApiError } from './errors.ts';
import { newRequestSid } from './format.ts';

/** Far above any request the emulator serves (a FriendlyName is at most 64 characters). */
const MAX_BODY_BYTES = 64 * 1024;

export interface Connection {
  /** True once the client went away before an answer was written. */
  readonly gone: () => boolean;
  /** Resolves when the client goes away before an answer was written. */
  readonly whenGone: Promise<void>;
}

export const watchConnection = (res: ServerResponse): Connection => {
  let gone = false;
  const whenGone = new Promise<void>((resolve) => {
    res.once('close', () => {
      if (res.writableFinished) return;
      gone = true;
      resolve();
    });
  });
  return { gone: () => gone, whenGone };
};

/** Rejects with a 413 TwilioApiError past the limit, or with the socket error when the client aborts. */
export const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw bodyTooLarge();
  return Buffer.concat(chunks);
};

/** Waits `ms`, or less if the client leaves meanwhile. */
export const pause = (ms: number, connection: Connection): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void connection.whenGone.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });

/** A JSON answer; `undefined` as the body answers with none (a delete's 204). */
export const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void => {
  if (body === undefined) {
    res.writeHead(status, { ...headers, 'Twilio-Request-Id': newRequestSid() });
    res.end();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    'Twilio-Request-Id': newRequestSid(),
  });
  res.end(payload);
};

export const sendError = (res: ServerResponse, error: TwilioApiError): void =>
  sendJson(res, error.status, error.body(), error.headers);

/** Ends the connection without any answer, as a network failure would. */
export const resetConnection = (req: IncomingMessage): void => {
  req.socket.destroy();
};
