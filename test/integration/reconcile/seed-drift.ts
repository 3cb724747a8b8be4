/**
 * A local cloud in a known state: tenants made by the real lifecycle (consistent), one foreign
 * subaccount, and, on demand, one case of every drift kind made behind the service's back,
 * directly on the Twilio emulator, the Secrets Manager emulator and the ledger table.
 */
import { createDynamoDbLedger } from '../../../shared/ledger/dynamodb-ledger.ts';
import { tenantEvent } from '../../helpers/events.ts';
import { applyEvents, type CliCloud, putTenantSecret } from '../cli/support.ts';

export const MISSING_SID = `AC${'f'.repeat(32)}`;

export const sidOf = (cli: CliCloud, friendlyName: string): string => {
  const sid = cli.cloud.twilio.accounts().find((account) => account.friendly_name === friendlyName)?.sid;
  if (sid === undefined) throw new Error(`no subaccount named ${friendlyName}`);
  return sid;
};

/** acme (active), globex (suspended), gone (closed + retired secret), and a subaccount not ours. */
export const seedConsistentTenants = async (cli: CliCloud): Promise<void> => {
  await applyEvents(cli, [
    tenantEvent('tenant.created', 'acme', { at: 1 }),
    tenantEvent('tenant.created', 'globex', { at: 1 }),
    tenantEvent('tenant.delinquent', 'globex', { at: 2 }),
    tenantEvent('tenant.created', 'gone', { at: 1 }),
    tenantEvent('tenant.churned', 'gone', { at: 3 }),
  ]);
  await cli.twilio.createSubaccount({ friendlyName: 'Marketing sandbox' });
};

/** The expected [kind, tenantId] of every finding, in the report's order. */
export const EXPECTED_DRIFT = [
  ['subaccount-without-secret', 'orphan'],
  ['secret-subaccount-closed', 'closed-live'],
  ['secret-subaccount-missing', 'vanished'],
  ['status-mismatch', 'acme'],
  ['friendly-name-mismatch', 'globex'],
  ['ledger-missing', 'closed-live'],
  ['ledger-missing', 'vanished'],
  ['ledger-status-mismatch', 'acme'],
  ['ledger-without-secret', 'ledger-only'],
] as const;

export const LEDGER_ONLY_SID = `AC${'e'.repeat(32)}`;

export const seedEveryDriftKind = async (cli: CliCloud): Promise<void> => {
  const at = { lastEventId: 'evt-hand-made', lastEventAt: '2026-11-01T00:00:00.000Z' };
  // A subaccount created by hand (or by a create whose secret write was lost).
  await cli.twilio.createSubaccount({ friendlyName: 'tenant:orphan' });
  // Closed on Twilio directly; the secret still live.
  const closing = await cli.twilio.createSubaccount({ friendlyName: 'tenant:closed-live' });
  await putTenantSecret(cli, {
    tenantId: 'closed-live',
    accountSid: closing.sid,
    lifecycle: 'active',
    ...at,
  });
  await cli.twilio.updateAccount(closing.sid, { status: 'closed' });
  // A secret pointing to a subaccount Twilio has never heard of.
  await putTenantSecret(cli, { tenantId: 'vanished', accountSid: MISSING_SID, lifecycle: 'active', ...at });
  // Suspended on Twilio, still active in the secret.
  await cli.twilio.updateAccount(sidOf(cli, 'tenant:acme'), { status: 'suspended' });
  // Renamed on Twilio.
  await cli.twilio.updateAccount(sidOf(cli, 'tenant:globex'), { friendlyName: 'Globex (renamed)' });
  // A ledger item whose tenant has no secret (the secret deleted by hand).
  await createDynamoDbLedger({
    client: cli.cloud.dynamodb.client,
    tableName: cli.cloud.dynamodb.tableName,
  }).adopt('ledger-only', {
    lifecycle: 'active',
    accountSid: LEDGER_ONLY_SID,
    friendlyName: 'tenant:ledger-only',
    watermark: '2026-11-01T00:00:00.000000000Z',
    appliedAtWatermark: ['evt-hand-made'],
    secretRetired: false,
  });
};
