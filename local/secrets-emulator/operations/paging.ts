import { InvalidNextTokenError } from '../errors.ts';

/**
 * NextToken for the List operations. Opaque to callers: an offset into the same query's result,
 * in the order the operation returns it. Any token the emulator did not issue is refused as AWS
 * refuses it.
 */
const encodeToken = (offset: number): string => Buffer.from(JSON.stringify({ offset })).toString('base64url');

const decodeToken = (token: string | undefined): number => {
  if (token === undefined) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (Number.isSafeInteger(offset) && (offset as number) >= 0) return offset as number;
  } catch {
    // Falls through to the AWS error below: any token we did not issue is invalid.
  }
  throw new InvalidNextTokenError();
};

/** One page of `items` and the token for the next, if there is more. */
export const pageOf = <T>(
  items: readonly T[],
  token: string | undefined,
  pageSize: number,
): { page: T[]; nextToken?: string } => {
  const offset = decodeToken(token);
  const next = offset + pageSize;
  return {
    page: items.slice(offset, next),
    ...(next < items.length && { nextToken: encodeToken(next) }),
  };
};
