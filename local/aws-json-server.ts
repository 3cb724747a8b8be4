/**
 * What the local AWS stand-ins (Secrets Manager, EventBridge, the DynamoDB proxy) share of the
 * AWS JSON protocol on the server side: the body read with a size bound, the JSON object input,
 * a JSON answer with AWS's headers, the error base and its answer, and waiting out injected
 * latency unless the caller hangs up.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProvisionerError } from '../shared/errors.ts';

/** The body, refused with `tooLarge()` past `maxBytes`. */
export const readBoundedBody = async (
  req: IncomingMessage,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

/** An empty body counts as `{}`, as for an operation without input; anything else must be an object. */
export const parseJsonObject = (
  body: Buffer,
  invalid: (message: string) => Error,
): Record<string, unknown> => {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
};

/** The operation named by `X-Amz-Target: <prefix><Operation>`, or `undefined`. */
export const prefixedOperation = (req: IncomingMessage, prefix: string): string | undefined => {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(prefix)) return undefined;
  const operation = target.slice(prefix.length);
  return operation.length > 0 ? operation : undefined;
};

export const sendAwsJson = (
  res: ServerResponse,
  contentType: string,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void => {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(text);
};

/**
 * An error a stand-in answers for the whole request, in the AWS JSON error shape:
 * `{"__type": awsType, "message": ...}` plus the `x-amzn-errortype` header.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html#operation-error-serialization
 */
export abstract class AwsJsonApiError extends ProvisionerError {
  abstract readonly awsType: string;
  abstract readonly httpStatus: number;

  protected constructor(message: string, retryable = false, context?: Record<string, unknown>) {
    super(message, { retryable, context });
  }
}

/** An AWS JSON error: `{"__type", "message"}` plus the `x-amzn-errortype` header. */
export const sendAwsJsonError = (res: ServerResponse, contentType: string, error: AwsJsonApiError): void =>
  sendAwsJson(
    res,
    contentType,
    error.httpStatus,
    { __type: error.awsType, message: error.message },
    { 'x-amzn-errortype': error.awsType },
  );

/**
 * Waits `ms`, unless the caller hangs up first. Resolves `true` when the caller is still there:
 * a caller that gave up during injected latency must see nothing applied.
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
