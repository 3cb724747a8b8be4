import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type EventBridgeApiError, SerializationError, ValidationError } from './errors.ts';

/**
 * EventBridge speaks AWS JSON 1.1: `POST /`, the operation in `X-Amz-Target: AWSEvents.<Operation>`,
 * a JSON body both ways, errors as `{"__type", "message"}` plus the `x-amzn-errortype` header.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
export const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'AWSEvents.';
/** Room for ten entries at the largest total size, JSON escaping included. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** The operation the request names, or `undefined` when it names none of EventBridge's. */
export const targetOperation = (req: IncomingMessage): string | undefined => {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return undefined;
  const operation = target.slice(TARGET_PREFIX.length);
  return operation.length > 0 ? operation : undefined;
};

export const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new ValidationError('Total size of the entries in the request is over the limit.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

/** An empty body counts as `{}`, as for an operation without input. */
export const parseInput = (body: Buffer): Record<string, unknown> => {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new SerializationError('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SerializationError('The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
};

const send = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void => {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(text);
};

export const sendResult = (res: ServerResponse, output: unknown): void => send(res, 200, output);

export const sendError = (res: ServerResponse, error: EventBridgeApiError): void =>
  send(
    res,
    error.httpStatus,
    { __type: error.awsType, message: error.message },
    { 'x-amzn-errortype': error.awsType },
  );

/**
 * Waits `ms`, unless the caller hangs up first. Resolves `true` when the caller is still there:
 * a caller that gave up during injected latency must see nothing stored.
 */
export const waitWhileConnected = (res: ServerResponse, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (res.destroyed) {
      resolve(false);
      return;
    }
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
