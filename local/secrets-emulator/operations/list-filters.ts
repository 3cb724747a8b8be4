import type { SecretRecord } from '../model.ts';

export const FILTER_KEYS = [
  'description',
  'name',
  'tag-key',
  'tag-value',
  'primary-region',
  'owning-service',
  'all',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export interface ListFilter {
  Key: FilterKey;
  Values: string[];
}

interface Candidates {
  values: string[];
  caseSensitive: boolean;
}

/**
 * What each key matches against, with AWS's case rules: prefix matches, case-sensitive except
 * `description` and `all`. Replication and owning services are not emulated: those match nothing.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Filter.html
 */
const CANDIDATES: Record<FilterKey, (secret: SecretRecord) => Candidates> = {
  name: (secret) => ({ values: [secret.name], caseSensitive: true }),
  description: (secret) => ({ values: secret.description ? [secret.description] : [], caseSensitive: false }),
  'tag-key': (secret) => ({ values: secret.tags.map((tag) => tag.Key), caseSensitive: true }),
  'tag-value': (secret) => ({ values: secret.tags.map((tag) => tag.Value), caseSensitive: true }),
  'primary-region': () => ({ values: [], caseSensitive: true }),
  'owning-service': () => ({ values: [], caseSensitive: true }),
  all: (secret) => ({
    values: [
      secret.name,
      ...(secret.description ? secret.description.split(/\s+/) : []),
      ...secret.tags.flatMap((tag) => [tag.Key, tag.Value]),
    ],
    caseSensitive: false,
  }),
};

const prefixMatch = ({ values, caseSensitive }: Candidates, term: string): boolean => {
  const fold = (text: string) => (caseSensitive ? text : text.toLowerCase());
  return values.some((value) => fold(value).startsWith(fold(term)));
};

/** `all` breaks its value into words, each of which must match some attribute. */
const termMatches = (key: FilterKey, candidates: Candidates, term: string): boolean =>
  key === 'all'
    ? term
        .split(/\s+/)
        .filter(Boolean)
        .every((word) => prefixMatch(candidates, word))
    : prefixMatch(candidates, term);

/** A leading `!` negates a value. Values of one filter are OR-ed, filters are AND-ed. */
const matchesFilter = (secret: SecretRecord, filter: ListFilter): boolean => {
  const candidates = CANDIDATES[filter.Key](secret);
  return filter.Values.some((value) =>
    value.startsWith('!')
      ? !termMatches(filter.Key, candidates, value.slice(1))
      : termMatches(filter.Key, candidates, value),
  );
};

export const matchesFilters = (secret: SecretRecord, filters: readonly ListFilter[]): boolean =>
  filters.every((filter) => matchesFilter(secret, filter));
