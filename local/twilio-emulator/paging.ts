/**
 * Read (list) paging: PageSize, Page and PageToken of the references, the filters of the Accounts
 * list, and the paging fields of ListAccountResponse and ListKeyResponse. Pages are cut in
 * creation order and PageToken names the item a page starts after (`PA<sid>`) or ends before
 * (`PB<sid>`), so items created (or deleted) between two page fetches never make the next page
 * skip or repeat an item.
 * https://www.twilio.com/docs/usage/twilios-response#response-formats-list-paging-information
 */
import type { AccountStatus } from '../../shared/twilio/types.ts';
import { type AccountRecord, toAccountJson } from './account-json.ts';
import { invalidAccountsRequest } from './errors.ts';
import { ACCOUNT_SID_PATTERN } from './format.ts';
import { integerParam, statusParam } from './params.ts';
import type { AccountJson } from './types.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;
const MAX_PAGE = 1_000_000_000;

export interface PageToken {
  readonly direction: 'after' | 'before';
  readonly sid: string;
  readonly raw: string;
}

/** PageSize, Page and PageToken: the parameters every list takes. */
export interface PagingQuery {
  readonly pageSize: number;
  readonly page: number;
  readonly pageToken?: PageToken;
}

/** The Accounts list's parameters. */
export interface ListQuery extends PagingQuery {
  readonly friendlyName?: string;
  readonly status?: AccountStatus;
}

/** The paging fields every list answer carries beside its items. */
export interface PageFrame {
  first_page_uri: string;
  end: number;
  previous_page_uri: string | null;
  uri: string;
  page_size: number;
  start: number;
  next_page_uri: string | null;
  page: number;
}

export interface AccountPage extends PageFrame {
  accounts: AccountJson[];
}

/** What a page is cut from: items in creation order, each with the SID a PageToken names. */
export interface Pageable {
  readonly seq: number;
  readonly sid: string;
}

export interface PageSpec {
  /** The list's path, e.g. `/2010-04-01/Accounts.json`. */
  readonly path: string;
  /** Filters to carry in every uri, in order. */
  readonly filters?: ReadonlyArray<readonly [string, string]>;
}

const parsePageToken = (raw: string | null, sidPattern: RegExp): PageToken | undefined => {
  if (raw === null) return undefined;
  const match = /^P([AB])(.*)$/.exec(raw);
  if (match?.[2] === undefined || !sidPattern.test(match[2]))
    throw invalidAccountsRequest('Invalid PageToken');
  return { direction: match[1] === 'A' ? 'after' : 'before', sid: match[2], raw };
};

/** `sidPattern`: the SIDs of the listed items, which a PageToken names. */
export const parsePagingQuery = (params: URLSearchParams, sidPattern: RegExp): PagingQuery => {
  const pageSize = params.get('PageSize');
  const page = params.get('Page');
  return {
    pageSize: pageSize === null ? DEFAULT_PAGE_SIZE : integerParam('PageSize', pageSize, 1, MAX_PAGE_SIZE),
    page: page === null ? 0 : integerParam('Page', page, 0, MAX_PAGE),
    pageToken: parsePageToken(params.get('PageToken'), sidPattern),
  };
};

export const parseListQuery = (params: URLSearchParams): ListQuery => ({
  friendlyName: params.get('FriendlyName') ?? undefined,
  status: statusParam(params.get('Status') ?? undefined),
  ...parsePagingQuery(params, ACCOUNT_SID_PATTERN),
});

export const matchesFilters = (query: ListQuery, account: AccountRecord): boolean =>
  (query.friendlyName === undefined || account.friendlyName === query.friendlyName) &&
  (query.status === undefined || account.status === query.status);

/** Paths relative to https://api.twilio.com, carrying the filters, PageSize, Page and PageToken. */
const listUri = (spec: PageSpec, query: PagingQuery, page: number, token?: string): string => {
  const params = new URLSearchParams();
  for (const [name, value] of spec.filters ?? []) params.set(name, value);
  params.set('PageSize', String(query.pageSize));
  params.set('Page', String(page));
  if (token !== undefined) params.set('PageToken', token);
  return `${spec.path}?${params}`;
};

const cut = <T extends Pageable>(
  matching: readonly T[],
  query: PagingQuery,
  anchorSeq: number | undefined,
): T[] => {
  const size = query.pageSize;
  if (anchorSeq === undefined) return matching.slice(query.page * size, query.page * size + size);
  if (query.pageToken?.direction === 'after') return matching.filter((a) => a.seq > anchorSeq).slice(0, size);
  const before = matching.filter((a) => a.seq < anchorSeq);
  return before.slice(Math.max(0, before.length - size));
};

/**
 * One page of `matching` (already filtered and visible to the caller, in creation order) and its
 * paging fields. `anchorSeq` is the creation order of the PageToken's item, found by the caller.
 */
export const cutPage = <T extends Pageable>(
  matching: readonly T[],
  query: PagingQuery,
  anchorSeq: number | undefined,
  spec: PageSpec,
): { readonly items: T[]; readonly frame: PageFrame } => {
  const items = cut(matching, query, anchorSeq);
  const first = items[0];
  const last = items[items.length - 1];
  const hasNext = last !== undefined && matching.some((a) => a.seq > last.seq);
  const hasPrevious = first !== undefined && matching.some((a) => a.seq < first.seq);
  const start = query.page * query.pageSize;
  const frame: PageFrame = {
    first_page_uri: listUri(spec, query, 0),
    end: items.length === 0 ? start : start + items.length - 1,
    previous_page_uri: hasPrevious
      ? listUri(spec, query, Math.max(0, query.page - 1), `PB${first.sid}`)
      : null,
    uri: listUri(spec, query, query.page, query.pageToken?.raw),
    page_size: query.pageSize,
    start,
    next_page_uri: hasNext ? listUri(spec, query, query.page + 1, `PA${last.sid}`) : null,
    page: query.page,
  };
  return { items, frame };
};

const ACCOUNTS_PATH = '/2010-04-01/Accounts.json';

/** One page of the Accounts list. */
export const buildPage = (
  matching: readonly AccountRecord[],
  query: ListQuery,
  anchorSeq: number | undefined,
): AccountPage => {
  const filters: Array<readonly [string, string]> = [];
  if (query.friendlyName !== undefined) filters.push(['FriendlyName', query.friendlyName]);
  if (query.status !== undefined) filters.push(['Status', query.status]);
  const { items, frame } = cutPage(matching, query, anchorSeq, { path: ACCOUNTS_PATH, filters });
  return { ...frame, accounts: items.map(toAccountJson) };
};
