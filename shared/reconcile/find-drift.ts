/**
 * The drift rules, as a pure function of two snapshots. Twilio is the source of truth for a
 * subaccount's status; the secret tags say what this service last applied. A retired secret of a
 * closed subaccount is the normal end of a churned tenant and is never reported.
 */
import type { FriendlyNameCodec } from '../domain/friendly-name.ts';
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

export const findDrift = (
  subaccounts: readonly SubaccountSnapshot[],
  tenantSecrets: readonly TenantSecretSnapshot[],
  codec: FriendlyNameCodec,
): DriftResult => {
  const bySid = new Map(subaccounts.map((subaccount) => [subaccount.sid, subaccount]));
  const byTenant = new Map(tenantSecrets.map((secret) => [secret.tenantId, secret]));
  const referenced = new Set(tenantSecrets.map((secret) => secret.accountSid));
  const pointedToByLive = new Set(tenantSecrets.filter((s) => !s.retired).map((s) => s.accountSid));

  const findings = tenantSecrets.flatMap((secret) =>
    secretFindings(secret, bySid.get(secret.accountSid), codec),
  );
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
