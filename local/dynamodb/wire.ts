import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { readBoundedBody } from '../aws-json-server.ts';

/**
 * DynamoDB speaks AWS JSON 1.0: `POST /`, the operation in `X-Amz-Target:
 * DynamoDB_20120810.<Operation>`, errors as `{"__type": "<namespace>#<Code>", "message"}`.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
 */
export const CONTENT_TYPE = 'application/x-amz-json-1.0';
const ERROR_NAMESPACE = 'com.amazonaws.dynamodb.v20120810';

/** `DynamoDB_20120810.UpdateItem` → `UpdateItem`; a bare name is returned as is. */
export const operationName = (target: string): string | undefined => {
  const name = target.slice(target.lastIndexOf('.') + 1);
  return name.length > 0 ? name : undefined;
};

/** The operation the request names, or `undefined` when it has no X-Amz-Target. */
export const targetOperation = (req: IncomingMessage): string | undefined => {
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' ? operationName(target) : undefined;
};

/** dynalite's own request limit; the proxy never needs to hold more. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export const readBody = (req: IncomingMessage): Promise<Buffer> =>
  readBoundedBody(req, MAX_BODY_BYTES, () => new RangeError('request body over 16 MiB'));

/** DynamoDB request ids are 52 upper-case alphanumerics. */
const requestId = (): string =>
  randomBytes(39).toString('base64').toUpperCase().replace(/[+/=]/g, '0').slice(0, 52);

/**
 * Writes an error exactly as DynamoDB does: JSON 1.0 body, and the `x-amz-crc32` checksum of the
 * body that DynamoDB adds to every answer.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
 */
export const sendDynamoError = (res: ServerResponse, status: number, code: string, message: string): void => {
  if (res.destroyed) return;
  const body = JSON.stringify({ __type: `${ERROR_NAMESPACE}#${code}`, message });
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId(),
    'x-amz-crc32': String(crc32(body)),
  });
  res.end(body);
};

/**
 * The throttle of an on-demand table, which the ledger is. The SDK lists this code among its
 * throttling errors and retries it with backoff, as it must for the real service.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TroubleshootingThrottling.html
 */
export const sendThrottle = (res: ServerResponse): void =>
  sendDynamoError(
    res,
    400,
    'ProvisionedThroughputExceededException',
    'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling ' +
      'your table or index so please try again shortly. If exceptions persist, check if you have a hot ' +
      'key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html',
  );

export { waitWhileConnected } from '../aws-json-server.ts';
