import { z } from 'zod';
import { InvalidNextTokenError } from '../errors.ts';
import type { SecretRecord } from '../model.ts';
import { versionIdsToStages } from '../versions.ts';
import { secretMetadata } from './common.ts';
import { FILTER_KEYS, matchesFilters } from './list-filters.ts';
import { defineOperation } from './operation.ts';

const filterValue = z
  .string()
  .max(512)
  .regex(/^!?[a-zA-Z0-9 :_@/+=.\-!]*$/);

const schema = z.object({
  IncludePlannedDeletion: z.boolean().optional(),
  MaxResults: z.number().int().min(1).max(100).optional(),
  NextToken: z.string().min(1).max(4096).optional(),
  Filters: z
    .array(z.object({ Key: z.enum(FILTER_KEYS), Values: z.array(filterValue).min(1).max(10) }))
    .max(10)
    .optional(),
  SortOrder: z.enum(['asc', 'desc']).optional(),
  SortBy: z.enum(['created-date', 'last-accessed-date', 'last-changed-date', 'name']).optional(),
});

type SortBy = NonNullable<z.output<typeof schema>['SortBy']>;

const DEFAULT_PAGE_SIZE = 100;

const SORT_KEYS: Record<SortBy, (secret: SecretRecord) => number | string> = {
  'created-date': (secret) => secret.createdDate.getTime(),
  'last-accessed-date': (secret) => secret.lastAccessedDate?.getTime() ?? 0,
  'last-changed-date': (secret) => secret.lastChangedDate.getTime(),
  name: (secret) => secret.name,
};

/** Array.prototype.sort is stable, so ties keep creation order. */
const sortSecrets = (secrets: SecretRecord[], by: SortBy, order: 'asc' | 'desc'): SecretRecord[] => {
  const key = SORT_KEYS[by];
  const direction = order === 'asc' ? 1 : -1;
  return secrets.sort((a, b) => {
    const left = key(a);
    const right = key(b);
    return left === right ? 0 : left < right ? -direction : direction;
  });
};

/** The token is opaque to callers: an offset into the same query's sorted result. */
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

export const listSecrets = defineOperation(schema, (input, context) => {
  const offset = decodeToken(input.NextToken);
  const pageSize = input.MaxResults ?? DEFAULT_PAGE_SIZE;
  const visible = context.store
    .all()
    .filter((secret) => input.IncludePlannedDeletion === true || !secret.deletedDate)
    .filter((secret) => matchesFilters(secret, input.Filters ?? []));
  const sorted = sortSecrets(visible, input.SortBy ?? 'created-date', input.SortOrder ?? 'asc');
  const page = sorted.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  return {
    SecretList: page.map((secret) => ({
      ...secretMetadata(secret),
      SecretVersionsToStages: versionIdsToStages(secret),
    })),
    ...(next < sorted.length && { NextToken: encodeToken(next) }),
  };
});
