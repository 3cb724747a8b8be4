import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  parseJsonObject,
  prefixedOperation,
  readBoundedBody,
  sendAwsJson,
  sendAwsJsonError,
} from '../aws-json-server.ts';
import { type SecretsApiError, ValidationError } from './errors.ts';

/**
 * The AWS JSON 1.1 protocol: `POST /`, the operation in `X-Amz-Target: secretsmanager.<Operation>`,
 * a JSON body both ways, errors as `{"__type", "message"}` plus the `x-amzn-errortype` header.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
export const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'secretsmanager.';
/** Far above any valid request (a secret value is at most 64 KiB). */
const MAX_BODY_BYTES = 1024 * 1024;

/** The operation the request names, or `undefined` when it names none. */
export const targetOperation = (req: IncomingMessage): string | undefined =>
  prefixedOperation(req, TARGET_PREFIX);

export const readBody = (req: IncomingMessage): Promise<Buffer> =>
  readBoundedBody(req, MAX_BODY_BYTES, () => new ValidationError('The request body is too large.'));

/** An empty body counts as `{}`, as for an operation without input. */
export const parseInput = (body: Buffer): Record<string, unknown> =>
  parseJsonObject(body, (message) => new ValidationError(message));

export const sendResult = (res: ServerResponse, output: unknown): void =>
  sendAwsJson(res, CONTENT_TYPE, 200, output);

export const sendError = (res: ServerResponse, error: SecretsApiError): void =>
  sendAwsJsonError(res, CONTENT_TYPE, error);

export { waitWhileConnected } from '../aws-json-server.ts';
