/**
 * Twilio's documented refusals through the real handler: a subaccount closed outside the service
 * (21479), one suspended by Twilio (21478) and a suspended main account (21476), each with the
 * outcome, dead-letter code and metric it must produce.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbLedger } from '../../../shared/ledger/dynamodb-ledger.ts';
import { tenantEvent } from '../../helpers/events.ts';
import { type Pipeline, startPipeline } from '../../helpers/pipeline.ts';

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline({ functionTimeoutMs: 3_000, maxReceiveCount: 10 });
}, 60_000);
afterAll(() => pipeline?.stop());
afterEach(() => pipeline.cloud.twilio.setMainAccountSuspended(false));

const ledgerState = async (tenantId: string) =>
  (
    await createDynamoDbLedger({
      client: pipeline.cloud.dynamodb.client,
      tableName: pipeline.cloud.dynamodb.tableName,
    }).read(tenantId)
  )?.state;

const lettersOf = async (tenantId: string) =>
  (await pipeline.takeDeadLetters()).filter((letter) => letter.attributes.tenantId === tenantId);

const provision = async (tenantId: string) => {
  await pipeline.publish(tenantEvent('tenant.created', tenantId, { at: 1 }));
  await pipeline.drain();
  const [account] = pipeline.accountsOf(tenantId);
  if (account === undefined) throw new Error(`${tenantId} was not provisioned`);
  return account;
};

describe('a subaccount closed outside the service (21479)', () => {
  it('makes delinquent a no-op, dead-letters reinstated as illegal, and churn still retires the secret', async () => {
    const account = await provision('console-closed');
    pipeline.cloud.twilio.setAccountStatus(account.sid, 'closed');

    const delinquent = tenantEvent('tenant.delinquent', 'console-closed', { at: 2 });
    await pipeline.publish(delinquent);
    await pipeline.drain();
    expect(pipeline.outcomes().find((o) => o.eventId === delinquent.eventId)).toMatchObject({
      outcome: 'noop',
      note: 'subaccount is closed on Twilio',
    });
    expect(await ledgerState('console-closed')).toMatchObject({ lifecycle: 'closed', secretRetired: false });

    await pipeline.publish(tenantEvent('tenant.reinstated', 'console-closed', { at: 3 }));
    await pipeline.drain();
    const [letter, ...more] = await lettersOf('console-closed');
    expect(more).toEqual([]);
    expect(letter?.attributes).toMatchObject({
      errorCode: 'ILLEGAL_TRANSITION',
      reason: 'closed subaccounts cannot be reopened',
    });

    await pipeline.publish(tenantEvent('tenant.churned', 'console-closed', { at: 4 }));
    await pipeline.drain();
    expect(await pipeline.secretOf('console-closed')).toBeUndefined();
    expect((await pipeline.describeSecret('console-closed')).DeletedDate).toBeInstanceOf(Date);
    expect(await ledgerState('console-closed')).toMatchObject({ lifecycle: 'closed', secretRetired: true });
  });
});

describe('a subaccount suspended by Twilio (21478)', () => {
  it('dead-letters its reinstatement with its own code', async () => {
    const account = await provision('twilio-suspended');
    await pipeline.publish(tenantEvent('tenant.delinquent', 'twilio-suspended', { at: 2 }));
    await pipeline.drain();
    pipeline.cloud.twilio.setSuspendedByTwilio(account.sid, true);
    await pipeline.publish(tenantEvent('tenant.reinstated', 'twilio-suspended', { at: 3 }));
    await pipeline.drain();
    const [letter] = await lettersOf('twilio-suspended');
    expect(letter?.attributes.errorCode).toBe('SUBACCOUNT_SUSPENDED_BY_TWILIO');
    expect(letter?.attributes.reason).toMatch(/21478/);
    expect(await ledgerState('twilio-suspended')).toMatchObject({ lifecycle: 'suspended' });
    pipeline.cloud.twilio.setSuspendedByTwilio(account.sid, false);
  });
});

describe('a returning customer at the subaccount limit (21480)', () => {
  it('dead-letters the re-create and leaves the retired secret retired', async () => {
    await provision('returning');
    await pipeline.publish(tenantEvent('tenant.churned', 'returning', { at: 2 }));
    await pipeline.drain();
    const live = pipeline.cloud.twilio
      .accounts()
      .filter((a) => a.status !== 'closed' && a.sid !== pipeline.cloud.twilio.accountSid);
    pipeline.cloud.twilio.setSubaccountLimit(live.length);
    try {
      await pipeline.publish(tenantEvent('tenant.created', 'returning', { at: 3 }));
      await pipeline.drain();
      const [letter] = await lettersOf('returning');
      expect(letter?.attributes.errorCode).toBe('SUBACCOUNT_LIMIT_REACHED');
      // The closed account's credentials stay unreadable: nothing was restored.
      expect((await pipeline.describeSecret('returning')).DeletedDate).toBeInstanceOf(Date);
      expect(await pipeline.secretOf('returning')).toBeUndefined();
      expect(await ledgerState('returning')).toMatchObject({ lifecycle: 'closed', secretRetired: true });
    } finally {
      pipeline.cloud.twilio.setSubaccountLimit(1000);
    }
  });
});

describe('a suspended main account (21476)', () => {
  it('hands the record back with its metric, and applies it once the account is back', async () => {
    await provision('main-suspended');
    pipeline.cloud.twilio.setMainAccountSuspended(true);
    const delinquent = tenantEvent('tenant.delinquent', 'main-suspended', { at: 2 });
    await pipeline.publish(delinquent);
    await waitFor(() => pipeline.outcomes().some((o) => o.eventId === delinquent.eventId));
    expect(pipeline.outcomes().find((o) => o.eventId === delinquent.eventId)).toMatchObject({
      outcome: 'retried',
      errorCode: 'MAIN_ACCOUNT_SUSPENDED',
    });
    expect(pipeline.logs.some((line) => line.includes('"MainAccountSuspended"'))).toBe(true);
    pipeline.cloud.twilio.setMainAccountSuspended(false);
    await pipeline.drain();
    expect(pipeline.accountsOf('main-suspended')[0]?.status).toBe('suspended');
    expect(await lettersOf('main-suspended')).toEqual([]);
  });
});

const waitFor = async (condition: () => boolean, timeoutMs = 20_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
