/**
 * Read (list) paging: the filters, PageSize, Page and PageToken of the reference, and the paging
 * fields of ListAccountResponse. Pages are cut in creation order and PageToken names the account
 * a page starts after (`PA<sid>`) or ends before (`PB<sid>`), so accounts created between two
 * page fetches never make the next page skip or repeat an item.
 * https://www.twilio.com/docs/usage/twilios-response#response-formats-list-paging-information
 */
import type { AccountStatus } from '../../shared/twilio/types.ts';
import { type AccountRecord, toAccountJson } from './account-json.ts';
import { invalidAccountsRequest } from './errors.ts';
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

export interface ListQuery {
  readonly friendlyName?: string;
  readonly status?: AccountStatus;
  readonly pageSize: number;
  readonly page: number;
  readonly pageToken?: PageToken;
}

export interface AccountPage {
  first_page_uri: string;
  end: number;
  previous_page_uri: string | null;
  accounts: AccountJson[];
  uri: string;
  page_size: number;
  start: number;
  next_page_uri: string | null;
  page: number;
}

const parsePageToken = (raw: string | null): PageToken | undefined => {
  if (raw === null) return undefined;
  const match = /^P([AB])(AC[0-9a-fA-F]{32})$/.exec(raw);
  if (!match?.[2]) throw invalidAccountsRequest('Invalid PageToken');
  return { direction: match[1] === 'A' ? 'after' : 'before', sid: match[2], raw };
};

export const parseListQuery = (params: URLSearchParams): ListQuery => {
  const pageSize = params.get('PageSize');
  const page = params.get('Page');
  return {
    friendlyName: params.get('FriendlyName') ?? undefined,
    status: statusParam(params.get('Status') ?? undefined),
    pageSize: pageSize === null ? DEFAULT_PAGE_SIZE : integerParam('PageSize', pageSize, 1, MAX_PAGE_SIZE),
    page: page === null ? 0 : integerParam('Page', page, 0, MAX_PAGE),
    pageToken: parsePageToken(params.get('PageToken')),
  };
};

export const matchesFilters = (query: ListQuery, account: AccountRecord): boolean =>
  (query.friendlyName === undefined || account.friendlyName === query.friendlyName) &&
  (query.status === undefined || account.status === query.status);

/** Paths relative to https://api.twilio.com, carrying the filters, PageSize, Page and PageToken. */
const listUri = (query: ListQuery, page: number, token?: string): string => {
  const params = new URLSearchParams();
  if (query.friendlyName !== undefined) params.set('FriendlyName', query.friendlyName);
  if (query.status !== undefined) params.set('Status', query.status);
  params.set('PageSize', String(query.pageSize));
  params.set('Page', String(page));
  if (token !== undefined) params.set('PageToken', token);
  return `/2010-04-01/Accounts.json?${params}`;
};

const cut = (
  matching: readonly AccountRecord[],
  query: ListQuery,
  anchorSeq: number | undefined,
): AccountRecord[] => {
  const size = query.pageSize;
  if (anchorSeq === undefined) return matching.slice(query.page * size, query.page * size + size);
  if (query.pageToken?.direction === 'after') return matching.filter((a) => a.seq > anchorSeq).slice(0, size);
  const before = matching.filter((a) => a.seq < anchorSeq);
  return before.slice(Math.max(0, before.length - size));
};

/**
 * One page of `matching` (already filtered and visible to the caller, in creation order).
 * `anchorSeq` is the creation order of the PageToken's account, found by the caller.
 */
export const buildPage = (
  matching: readonly AccountRecord[],
  query: ListQuery,
  anchorSeq: number | undefined,
): AccountPage => {
  const items = cut(matching, query, anchorSeq);
  const first = items[0];
  const last = items[items.length - 1];
  const hasNext = last !== undefined && matching.some((a) => a.seq > last.seq);
  const hasPrevious = first !== undefined && matching.some((a) => a.seq < first.seq);
  const start = query.page * query.pageSize;
  return {
    first_page_uri: listUri(query, 0),
    end: items.length === 0 ? start : start + items.length - 1,
    previous_page_uri: hasPrevious ? listUri(query, Math.max(0, query.page - 1), `PB${first.sid}`) : null,
    accounts: items.map(toAccountJson),
    uri: listUri(query, query.page, query.pageToken?.raw),
    page_size: query.pageSize,
    start,
    next_page_uri: hasNext ? listUri(query, query.page + 1, `PA${last.sid}`) : null,
    page: query.page,
  };
};
