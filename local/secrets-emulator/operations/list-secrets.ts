import { z } from 'zod';
import type { SecretRecord } from '../model.ts';
import { versionIdsToStages } from '../versions.ts';
import { secretMetadata } from './common.ts';
import { FILTER_KEYS, matchesFilters } from './list-filters.ts';
import { defineOperation } from './operation.ts';
import { pageOf } from './paging.ts';
import * as field from './schemas.ts';

const filterValue = z
  .string()
  .max(512)
  .regex(/^!?[a-zA-Z0-9 :_@/+=.\-!]*$/);

const schema = z.object({
  IncludePlannedDeletion: z.boolean().optional(),
  MaxResults: field.maxResults.optional(),
  NextToken: field.nextToken.optional(),
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

export const listSecrets = defineOperation(schema, (input, context) => {
  const visible = context.store
    .all()
    .filter((secret) => input.IncludePlannedDeletion === true || !secret.deletedDate)
    .filter((secret) => matchesFilters(secret, input.Filters ?? []));
  const sorted = sortSecrets(visible, input.SortBy ?? 'created-date', input.SortOrder ?? 'asc');
  const { page, nextToken } = pageOf(sorted, input.NextToken, input.MaxResults ?? DEFAULT_PAGE_SIZE);
  return {
    SecretList: page.map((secret) => ({
      ...secretMetadata(secret),
      SecretVersionsToStages: versionIdsToStages(secret),
    })),
    ...(nextToken !== undefined && { NextToken: nextToken }),
  };
});
