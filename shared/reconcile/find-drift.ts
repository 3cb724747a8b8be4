/**
 * The drift rules, as a pure function of three snapshots. Twilio is the source of truth for a
 * subaccount's status; the ledger says what this service last applied, and the secret holds the
 * credentials (its tags mirror the ledger). A retired secret of a closed subaccount is the normal
 * end of a churned tenant and is never reported.
 */

import type { FriendlyNameCodec } from '../domain/friendly-name.ts';
import type { LedgerEntry } from '../domain/ports.ts';
import {
  DRIFT_KINDS,
  type DriftFinding,
  type DriftResult,
  type SubaccountSnapshot,
  type TenantSecretSnapshot,
} from './types.ts';

const expectedFriendlyName = (codec: FriendlyNameCodec, tenantId: string): string | undefined => {
  try {
    return codec.encode(tenantId);
  } catch {
    // A tenant-id tag no template can encode: any FriendlyName differs from "nothing".
    return undefined;
  }
};

const secretFindings = (
  secret: TenantSecretSnapshot,
  subaccount: SubaccountSnapshot | undefined,
  codec: FriendlyNameCodec,
): DriftFinding[] => {
  const ids = { tenantId: secret.tenantId, accountSid: secret.accountSid };
  if (subaccount === undefined) {
    return [
      {
        kind: 'secret-subaccount-missing',
        ...ids,
        detail: `secret "${secret.secretName}" points to ${secret.accountSid}, which Twilio does not list as a subaccount`,
      },
    ];
  }
  if (subaccount.status === 'closed') {
    if (secret.retired) return [];
    return [
      {
        kind: 'secret-subaccount-closed',
        ...ids,
        detail: `subaccount is closed on Twilio but secret "${secret.secretName}" is still live (lifecycle tag "${secret.lifecycle}")`,
      },
    ];
  }
  const findings: DriftFinding[] = [];
  if (secret.lifecycle !== subaccount.status) {
    findings.push({
      kind: 'status-mismatch',
      ...ids,
      detail: `secret lifecycle tag is "${secret.lifecycle}"${secret.retired ? ' (secret retired)' : ''} but Twilio status is "${subaccount.status}"`,
    });
  }
  const expected = expectedFriendlyName(codec, secret.tenantId);
  if (subaccount.friendlyName !== expected) {
    findings.push({
      kind: 'friendly-name-mismatch',
      ...ids,
      detail: `Twilio FriendlyName is "${subaccount.friendlyName}", expected "${expected ?? '(tenant id cannot be encoded)'}"`,
    });
  }
  return findings;
};

const orphanFinding = (
  subaccount: SubaccountSnapshot,
  tenantId: string,
  secretOfTenant: TenantSecretSnapshot | undefined,
): DriftFinding => {
  const why =
    secretOfTenant === undefined
      ? 'the tenant has no secret'
      : secretOfTenant.retired
        ? `the tenant's secret "${secretOfTenant.secretName}" is retired`
        : `the tenant's secret "${secretOfTenant.secretName}" points to ${secretOfTenant.accountSid}`;
  return {
    kind: 'subaccount-without-secret',
    tenantId,
    accountSid: subaccount.sid,
    detail: `subaccount "${subaccount.friendlyName}" is ${subaccount.status} but no live secret points to it: ${why}`,
  };
};

const KIND_ORDER = new Map(DRIFT_KINDS.map((kind, index) => [kind, index]));

const byKindThenIds = (a: DriftFinding, b: DriftFinding): number =>
  (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0) ||
  (a.tenantId ?? '').localeCompare(b.tenantId ?? '') ||
  (a.accountSid ?? '').localeCompare(b.accountSid ?? '');

/** The ledger against Twilio and the secret, per tenant that has a secret or a ledger state. */
const ledgerFindings = (
  tenantSecrets: readonly TenantSecretSnapshot[],
  ledger: readonly LedgerEntry[],
  bySid: ReadonlyMap<string, SubaccountSnapshot>,
): DriftFinding[] => {
  const findings: DriftFinding[] = [];
  const stateOf = new Map(
    ledger.flatMap((entry) => (entry.state ? [[entry.tenantId, entry.state] as const] : [])),
  );
  const secretOf = new Map(tenantSecrets.map((secret) => [secret.tenantId, secret]));
  for (const secret of tenantSecrets) {
    const state = stateOf.get(secret.tenantId);
    const ids = { tenantId: secret.tenantId, accountSid: secret.accountSid };
    if (state === undefined) {
      findings.push({
        kind: 'ledger-missing',
        ...ids,
        detail: `secret "${secret.secretName}" has no ledger item; its next event adopts it, or run reconcile --repair`,
      });
      continue;
    }
    if (state.accountSid !== secret.accountSid) {
      findings.push({
        kind: 'ledger-account-mismatch',
        ...ids,
        detail: `ledger says subaccount ${state.accountSid} but secret "${secret.secretName}" holds ${secret.accountSid}`,
      });
    }
    const subaccount = bySid.get(state.accountSid);
    if (subaccount !== undefined && subaccount.status !== state.lifecycle) {
      findings.push({
        kind: 'ledger-status-mismatch',
        tenantId: secret.tenantId,
        accountSid: state.accountSid,
        detail: `ledger lifecycle is "${state.lifecycle}" but Twilio status is "${subaccount.status}"`,
      });
    }
  }
  for (const [tenantId, state] of stateOf) {
    if (secretOf.has(tenantId) || (state.lifecycle === 'closed' && state.secretRetired)) continue;
    findings.push({
      kind: 'ledger-without-secret',
      tenantId,
      accountSid: state.accountSid,
      detail: `ledger says "${state.lifecycle}" but the tenant has no secret`,
    });
  }
  return findings;
};

export const findDrift = (
  subaccounts: readonly SubaccountSnapshot[],
  tenantSecrets: readonly TenantSecretSnapshot[],
  codec: FriendlyNameCodec,
  ledger?: readonly LedgerEntry[],
): DriftResult => {
  const bySid = new Map(subaccounts.map((subaccount) => [subaccount.sid, subaccount]));
  const byTenant = new Map(tenantSecrets.map((secret) => [secret.tenantId, secret]));
  const referenced = new Set(tenantSecrets.map((secret) => secret.accountSid));
  const pointedToByLive = new Set(tenantSecrets.filter((s) => !s.retired).map((s) => s.accountSid));

  const findings = tenantSecrets.flatMap((secret) =>
    secretFindings(secret, bySid.get(secret.accountSid), codec),
  );
  if (ledger !== undefined) findings.push(...ledgerFindings(tenantSecrets, ledger, bySid));
  let ignoredSubaccounts = 0;
  for (const subaccount of subaccounts) {
    const tenantId = codec.decode(subaccount.friendlyName);
    if (tenantId === undefined) {
      if (!referenced.has(subaccount.sid)) ignoredSubaccounts += 1;
      continue;
    }
    if (subaccount.status !== 'closed' && !pointedToByLive.has(subaccount.sid)) {
      findings.push(orphanFinding(subaccount, tenantId, byTenant.get(tenantId)));
    }
  }
  return { findings: findings.sort(byKindThenIds), ignoredSubaccounts };
};
