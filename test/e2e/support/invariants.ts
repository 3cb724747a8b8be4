/**
 * The claims the product makes, checked against what a fault-injected run left behind. Each check
 * is pure over the run and names every offender (tenant, subaccount, message or log line) with
 * the tenant's published history, so a failure can be replayed and understood from the message.
 */
import type { TenantExpectation } from '../../../local/expectations.ts';
import type { AccountJson } from '../../../local/twilio-emulator/index.ts';
import { createFriendlyNameCodec } from '../../../shared/domain/friendly-name.ts';
import { TAG } from '../../../shared/secrets/tenant-tags.ts';
import type { ObservedSecret } from './observe.ts';
import type { PublishedMessage, ScenarioRun } from './scenario.ts';

export interface Violation {
  /** A tenantId, subaccount SID, message id or log line. */
  readonly subject: string;
  readonly problem: string;
}

export interface InvariantResult {
  /** How many subjects were examined. */
  readonly checked: number;
  readonly violations: readonly Violation[];
}

export interface Invariant {
  readonly id: string;
  readonly claim: string;
  check(run: ScenarioRun): InvariantResult;
}

const friendlyNames = createFriendlyNameCodec();

const shortType = (message: PublishedMessage): string => {
  const type = message.planned.event?.type.replace('tenant.', '') ?? 'malformed';
  return message.planned.kind === 'event' ? type : `${type}(${message.planned.kind})`;
};

/** "#12 created, #40 delinquent(duplicate), ..." per tenant, in delivery order. */
const historiesOf = (run: ScenarioRun): Map<string, string> => {
  const byTenant = new Map<string, string[]>();
  for (const message of run.published) {
    const tenantId = message.planned.event?.tenantId ?? message.planned.groupId;
    const entries = byTenant.get(tenantId) ?? [];
    entries.push(`#${message.index} ${shortType(message)}`);
    byTenant.set(tenantId, entries);
  }
  return new Map([...byTenant].map(([tenantId, entries]) => [tenantId, entries.join(', ')]));
};

const tenantViolation = (histories: Map<string, string>, tenantId: string, problem: string): Violation => ({
  subject: tenantId,
  problem: `${problem} [published: ${histories.get(tenantId) ?? 'nothing'}]`,
});

const subaccountsByTenant = (run: ScenarioRun): Map<string, AccountJson[]> => {
  const byTenant = new Map<string, AccountJson[]>();
  for (const account of run.observed.subaccounts) {
    const tenantId = friendlyNames.decode(account.friendly_name) ?? `(not a tenant) ${account.friendly_name}`;
    byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), account]);
  }
  return byTenant;
};

const liveOf = (accounts: readonly AccountJson[]) =>
  accounts.filter((account) => account.status !== 'closed');

const statuses = (accounts: readonly AccountJson[]): string =>
  accounts.length === 0 ? 'none' : accounts.map((a) => `${a.sid}=${a.status}`).join(', ');

type TenantCheck = (
  tenant: TenantExpectation,
  accounts: readonly AccountJson[],
  run: ScenarioRun,
) => string | undefined;

/** Runs a per-tenant check over every tenant the model knows, malformed-only groups excluded. */
const perTenant =
  (check: TenantCheck, applies: (tenant: TenantExpectation) => boolean = () => true) =>
  (run: ScenarioRun): InvariantResult => {
    const histories = historiesOf(run);
    const accounts = subaccountsByTenant(run);
    const tenants = run.expectations.tenants.filter(applies);
    const violations = tenants.flatMap((tenant) => {
      const problem = check(tenant, accounts.get(tenant.tenantId) ?? [], run);
      return problem === undefined ? [] : [tenantViolation(histories, tenant.tenantId, problem)];
    });
    return { checked: tenants.length, violations };
  };

const twilioStatus: TenantCheck = (tenant, accounts) => {
  const live = liveOf(accounts);
  if (tenant.status === null) {
    return accounts.length === 0 ? undefined : `expected no subaccount, Twilio has ${statuses(accounts)}`;
  }
  if (tenant.status === 'closed') {
    return live.length === 0 && accounts.length > 0
      ? undefined
      : `expected every subaccount closed, Twilio has ${statuses(accounts)}`;
  }
  return live.length === 1 && live[0]!.status === tenant.status
    ? undefined
    : `expected one ${tenant.status} subaccount, Twilio has ${statuses(accounts)}`;
};

const onePerLifecycle: TenantCheck = (tenant, accounts) => {
  const live = liveOf(accounts);
  if (live.length > 1) return `${live.length} non-closed subaccounts: ${statuses(accounts)}`;
  return accounts.length === tenant.subaccounts
    ? undefined
    : `owns ${accounts.length} subaccounts (${statuses(accounts)}), expected ${tenant.subaccounts} (one per lifecycle)`;
};

/**
 * Each subaccount of a tenant was created only after the one before it was closed: there was never
 * a moment with two live ones (Twilio dates have one-second precision, so equal seconds pass).
 */
const neverTwoLive: TenantCheck = (_tenant, accounts) => {
  // The emulator lists accounts in creation order; its dates only have whole seconds.
  const byCreation = accounts;
  for (let i = 1; i < byCreation.length; i += 1) {
    const before = byCreation[i - 1]!;
    const after = byCreation[i]!;
    if (before.status !== 'closed')
      return `${after.sid} was created while ${before.sid} is still ${before.status}`;
    if (Date.parse(before.date_updated) > Date.parse(after.date_created))
      return `${after.sid} was created (${after.date_created}) before ${before.sid} was closed (${before.date_updated})`;
  }
  return undefined;
};

/** The ledger agrees with Twilio: the tenant's current subaccount and its status. */
const ledgerAgrees: TenantCheck = (tenant, accounts, run) => {
  const state = run.observed.ledger.get(tenant.tenantId)?.state;
  if (tenant.status === null)
    return state === undefined ? undefined : `ledger says ${state.lifecycle}, expected nothing`;
  if (state === undefined) return 'no ledger state';
  // The newest subaccount, by the emulator's creation order (its dates only have whole seconds).
  const current = accounts.at(-1);
  if (state.accountSid !== current?.sid)
    return `ledger holds ${state.accountSid}, the newest subaccount is ${current?.sid}`;
  if (state.lifecycle !== tenant.status)
    return `ledger lifecycle is ${state.lifecycle}, expected ${tenant.status}`;
  return state.secretRetired === (tenant.status === 'closed')
    ? undefined
    : `ledger secretRetired is ${state.secretRetired} for a ${tenant.status} tenant`;
};

const tag = (secret: ObservedSecret, key: string): string => secret.tags.get(key) ?? '(missing)';

const credentialProblem = (secret: ObservedSecret, account: AccountJson): string | undefined => {
  if (secret.retired) return 'the secret is scheduled for deletion';
  if (secret.credentials === undefined) return `the secret value is unusable: ${secret.valueProblem}`;
  if (secret.credentials.accountSid !== account.sid)
    return `the secret holds ${secret.credentials.accountSid}, the live subaccount is ${account.sid}`;
  if (secret.credentials.authToken !== account.auth_token)
    return `the stored token is not ${account.sid}'s current token`;
  if (account.status === 'active' && secret.login !== 'accepted')
    return `Twilio did not accept ${account.sid} with the stored token: ${secret.login ?? 'not tried'}`;
  if (tag(secret, TAG.lifecycle) !== account.status || tag(secret, TAG.accountSid) !== account.sid)
    return `tags say ${tag(secret, TAG.accountSid)}=${tag(secret, TAG.lifecycle)}, Twilio ${account.sid}=${account.status}`;
  return undefined;
};

const storedCredentials: TenantCheck = (tenant, accounts, run) => {
  const secret = run.observed.secrets.get(tenant.tenantId);
  const [live] = liveOf(accounts);
  if (secret === undefined) return 'no secret';
  if (live === undefined) return `no live subaccount to hold credentials for (${statuses(accounts)})`;
  return credentialProblem(secret, live);
};

const retiredSecret: TenantCheck = (tenant, _accounts, run) => {
  const secret = run.observed.secrets.get(tenant.tenantId);
  if (secret === undefined) return 'no secret (it must be retired, not deleted)';
  if (!secret.retired) return 'the secret is not scheduled for deletion (no DeletedDate)';
  return tag(secret, TAG.lifecycle) === 'closed'
    ? undefined
    : `the retired secret's lifecycle tag is ${tag(secret, TAG.lifecycle)}`;
};

const isLive = (tenant: TenantExpectation) => tenant.status === 'active' || tenant.status === 'suspended';

const noOrphanSubaccounts = (run: ScenarioRun): InvariantResult => {
  const owners = new Map(run.expectations.tenants.map((tenant) => [tenant.tenantId, tenant.subaccounts]));
  const violations = run.observed.subaccounts.flatMap((account): Violation[] => {
    const tenantId = friendlyNames.decode(account.friendly_name);
    const subject = `${account.sid} "${account.friendly_name}" (${account.status})`;
    if (account.owner_account_sid !== run.observed.mainAccountSid)
      return [{ subject, problem: `owned by ${account.owner_account_sid}, not the main account` }];
    if (tenantId === undefined) return [{ subject, problem: 'its FriendlyName names no tenant' }];
    if ((owners.get(tenantId) ?? 0) === 0)
      return [{ subject, problem: `tenant ${tenantId} was never provisioned by any event` }];
    return [];
  });
  return { checked: run.observed.subaccounts.length, violations };
};

const noStraySecrets = (run: ScenarioRun): InvariantResult => {
  const provisioned = new Set(
    run.expectations.tenants.filter((tenant) => tenant.subaccounts > 0).map((t) => t.tenantId),
  );
  const stray = [...run.observed.secrets.values()].filter((secret) => !provisioned.has(secret.tenantId));
  return {
    checked: run.observed.secrets.size + run.observed.strangerSecrets.length,
    violations: [
      ...stray.map((secret) => ({
        subject: secret.name,
        problem: 'a secret for a tenant never provisioned',
      })),
      ...run.observed.strangerSecrets.map((name) => ({
        subject: name,
        problem: 'a secret outside the prefix',
      })),
    ],
  };
};

export const BASE_INVARIANTS: readonly Invariant[] = [
  {
    id: 'queue-drained',
    claim: 'the queue drains: every message is eventually deleted or dead-lettered',
    check: (run) => ({
      checked: 1,
      violations:
        run.drainError === undefined ? [] : [{ subject: 'tenant-events queue', problem: run.drainError }],
    }),
  },
  {
    id: 'twilio-status',
    claim: "every tenant's Twilio status is the one implied by its last valid event",
    check: perTenant(twilioStatus),
  },
  {
    id: 'subaccount-per-lifecycle',
    claim: 'no tenant has more than one non-closed subaccount, and each lifecycle created exactly one',
    check: perTenant(onePerLifecycle),
  },
  {
    id: 'never-two-live',
    claim: 'no two live subaccounts ever existed for one tenant',
    check: perTenant(neverTwoLive),
  },
  {
    id: 'ledger-agrees',
    claim:
      "each tenant's ledger state names its current subaccount and the status its last valid event implies",
    check: perTenant(ledgerAgrees),
  },
  {
    id: 'no-orphan-subaccounts',
    claim: 'no subaccount exists that no tenant owns',
    check: noOrphanSubaccounts,
  },
  {
    id: 'stored-credentials',
    claim: "each non-churned tenant's secret holds its live subaccount's SID and a token Twilio accepts",
    check: perTenant(storedCredentials, isLive),
  },
  {
    id: 'retired-secrets',
    claim: "each churned tenant's secret is retired (scheduled for deletion)",
    check: perTenant(retiredSecret, (tenant) => tenant.status === 'closed'),
  },
  {
    id: 'no-stray-secrets',
    claim: 'no secret exists for a tenant that was never provisioned',
    check: noStraySecrets,
  },
];
