/**
 * `tenants status --summary`: the fleet at a glance. Tenants by state come from the tenant ledger
 * (the authority for lifecycle; `closing` is a churned tenant inside its grace period); live
 * subaccounts (every subaccount of the main account on Twilio that is not closed, whoever made it)
 * against the main account's subaccount limit, past which every sign-up fails with 21480; and how
 * many tenants hold an API key. Reads no secret at all.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LedgerEntry } from '../../shared/domain/ports.ts';
import { stateOf } from '../../shared/domain/transitions.ts';
import { scanLedger } from '../../shared/ledger/scan-ledger.ts';
import { listSubaccounts } from '../../shared/reconcile/list-subaccounts.ts';
import type { TwilioAccountsApi } from '../../shared/twilio/types.ts';

export const SUMMARY_STATES = ['active', 'suspended', 'closing', 'closed'] as const;
export type SummaryState = (typeof SUMMARY_STATES)[number];

export interface StatusSummary {
  /** Tenants the ledger has provisioned, by state, and their total. */
  readonly tenants: Readonly<Record<SummaryState, number>> & { readonly total: number };
  readonly subaccounts: {
    /** Subaccounts of the main account on Twilio that are not closed. */
    readonly live: number;
    readonly limit: number;
    /** `limit - live`; negative when a limit was set lower than what is already live. */
    readonly remaining: number;
  };
  /** Tenants, not closed, whose credentials include an API key. */
  readonly tenantsWithApiKeys: number;
}

export interface SummarySources {
  readonly twilio: TwilioAccountsApi;
  readonly ledger: { readonly client: DynamoDBClient; readonly tableName: string };
  readonly subaccountLimit: number;
}

/** Pure: the counts of `entries` and `liveSubaccounts`. */
export const summarize = (
  entries: readonly LedgerEntry[],
  liveSubaccounts: number,
  subaccountLimit: number,
): StatusSummary => {
  const counts: Record<SummaryState, number> = { active: 0, suspended: 0, closing: 0, closed: 0 };
  let withKeys = 0;
  for (const entry of entries) {
    if (entry.state === undefined) continue;
    const state = stateOf(entry.state);
    if (state === 'absent') continue;
    counts[state] += 1;
    if (entry.state.apiKeySid !== undefined && state !== 'closed') withKeys += 1;
  }
  return {
    tenants: { ...counts, total: SUMMARY_STATES.reduce((sum, state) => sum + counts[state], 0) },
    subaccounts: {
      live: liveSubaccounts,
      limit: subaccountLimit,
      remaining: subaccountLimit - liveSubaccounts,
    },
    tenantsWithApiKeys: withKeys,
  };
};

export const statusSummary = async (sources: SummarySources): Promise<StatusSummary> => {
  const [entries, subaccounts] = await Promise.all([
    scanLedger(sources.ledger.client, sources.ledger.tableName),
    listSubaccounts(sources.twilio),
  ]);
  const live = subaccounts.filter((subaccount) => subaccount.status !== 'closed').length;
  return summarize(entries, live, sources.subaccountLimit);
};

const percent = (part: number, whole: number): string => {
  const value = (part / whole) * 100;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)}%`;
};

/** The summary for people: three labelled lines. */
export const formatSummary = (summary: StatusSummary): string => {
  const { tenants, subaccounts } = summary;
  const byState = SUMMARY_STATES.map((state) => `${tenants[state]} ${state}`).join(', ');
  const room =
    subaccounts.remaining > 0
      ? `${subaccounts.remaining} left`
      : 'LIMIT REACHED: new sign-ups fail until Twilio raises it';
  return [
    `tenants:      ${tenants.total} (${byState})`,
    `subaccounts:  ${subaccounts.live} live of a limit of ${subaccounts.limit} (${percent(subaccounts.live, subaccounts.limit)} used, ${room})`,
    `api keys:     ${summary.tenantsWithApiKeys} tenant(s) hold an API key`,
  ].join('\n');
};
