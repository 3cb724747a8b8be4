/**
 * TenantLedger over DynamoDB: one item per tenant, written only with conditional expressions, as
 * Powertools Idempotency keeps its IN_PROGRESS records.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/
 *
 * Attributes: `tenantId` (key), `version`, `lifecycle`, `accountSid`, `friendlyName`, `watermark`,
 * `appliedAtWatermark`, `secretRetired`, `leaseOwner` + `leaseExpiresAt`, `intentEventId` +
 * `intentStartedAt`, `updatedAt`.
 */
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { awsErrorName } from '../aws/errors.ts';
import { LeaseLostError } from '../domain/errors.ts';
import { OUTCOME_TYPES, type OutcomeType } from '../domain/outcome-event.ts';
import {
  type CreateIntent,
  type Lease,
  type LeaseResult,
  type LedgerEntry,
  type LedgerState,
  SUBACCOUNT_STATUSES,
  type SubaccountStatus,
  type TenantLedger,
} from '../domain/ports.ts';
import { LedgerCallError, LedgerItemInvalidError } from './errors.ts';
import { LEDGER_PARTITION_KEY } from './table-definition.ts';

export interface DynamoDbLedgerOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly now?: () => number;
}

type Item = Record<string, AttributeValue>;

/**
 * Every attribute is named through `#name` placeholders, so no name can collide with DynamoDB's
 * reserved words; the map carries exactly the names an expression uses, as DynamoDB requires.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html
 */
const namesIn = (...expressions: string[]): Record<string, string> =>
  Object.fromEntries(
    expressions.flatMap((expression) => [...expression.matchAll(/#(\w+)/g)].map((m) => [m[0], m[1]!])),
  );

const expressions = <T extends { UpdateExpression: string; ConditionExpression: string }>(
  input: T,
): T & { ExpressionAttributeNames: Record<string, string> } => ({
  ...input,
  ExpressionAttributeNames: namesIn(input.UpdateExpression, input.ConditionExpression),
});

const LIFECYCLES: readonly SubaccountStatus[] = SUBACCOUNT_STATUSES;

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

const isConditionFailure = (error: unknown): boolean =>
  awsErrorName(error) === 'ConditionalCheckFailedException';

/** Optional state attributes: written when present, removed when absent. */
const OPTIONAL = ['closeDueAt', 'outcomesAtWatermark', 'apiKeySid'] as const;

/** The SET and REMOVE clauses, and their values, that write `state` whole. */
const stateUpdate = (state: LedgerState, now: number): { set: string; remove: string[]; values: Item } => {
  const values: Item = {
    ':lifecycle': s(state.lifecycle),
    ':accountSid': s(state.accountSid),
    ':friendlyName': s(state.friendlyName),
    ':watermark': s(state.watermark),
    ':appliedAtWatermark': { L: state.appliedAtWatermark.map(s) },
    ':secretRetired': { BOOL: state.secretRetired },
    ':updatedAt': s(new Date(now).toISOString()),
  };
  if (state.closeDueAt !== undefined) values[':closeDueAt'] = s(state.closeDueAt);
  if (state.apiKeySid !== undefined) values[':apiKeySid'] = s(state.apiKeySid);
  if (state.outcomesAtWatermark !== undefined && Object.keys(state.outcomesAtWatermark).length > 0) {
    values[':outcomesAtWatermark'] = {
      M: Object.fromEntries(Object.entries(state.outcomesAtWatermark).map(([id, type]) => [id, s(type)])),
    };
  }
  const set = Object.keys(values)
    .map((placeholder) => `#${placeholder.slice(1)} = ${placeholder}`)
    .join(', ');
  const remove = OPTIONAL.filter((name) => values[`:${name}`] === undefined).map((name) => `#${name}`);
  return { set, remove, values };
};

const FENCE = '#leaseOwner = :owner AND #version = :version';

const parseState = (tenantId: string, item: Item): LedgerState | undefined => {
  const lifecycle = item.lifecycle?.S as SubaccountStatus | undefined;
  if (lifecycle === undefined) return undefined;
  const accountSid = item.accountSid?.S;
  const watermark = item.watermark?.S;
  if (!LIFECYCLES.includes(lifecycle) || accountSid === undefined || watermark === undefined) {
    throw new LedgerItemInvalidError(tenantId, 'lifecycle, accountSid or watermark missing or malformed');
  }
  return {
    lifecycle,
    accountSid,
    friendlyName: item.friendlyName?.S ?? '',
    watermark,
    appliedAtWatermark: (item.appliedAtWatermark?.L ?? []).flatMap((value) =>
      value.S === undefined ? [] : [value.S],
    ),
    secretRetired: item.secretRetired?.BOOL === true,
    ...(item.closeDueAt?.S === undefined ? {} : { closeDueAt: item.closeDueAt.S }),
    ...(item.apiKeySid?.S === undefined ? {} : { apiKeySid: item.apiKeySid.S }),
    ...(item.outcomesAtWatermark?.M === undefined
      ? {}
      : {
          outcomesAtWatermark: Object.fromEntries(
            Object.entries(item.outcomesAtWatermark.M).flatMap(([id, value]) =>
              OUTCOME_TYPES.includes(value.S as OutcomeType) ? [[id, value.S as OutcomeType]] : [],
            ),
          ),
        }),
  };
};

export const parseLedgerItem = (item: Item): LedgerEntry => {
  const tenantId = item[LEDGER_PARTITION_KEY]?.S ?? '';
  const state = parseState(tenantId, item);
  const intentEventId = item.intentEventId?.S;
  return {
    tenantId,
    version: Number(item.version?.N ?? 0),
    ...(state === undefined ? {} : { state }),
    ...(intentEventId === undefined
      ? {}
      : { createIntent: { eventId: intentEventId, startedAt: Number(item.intentStartedAt?.N ?? 0) } }),
  };
};

const sameIntent = (a: CreateIntent | undefined, b: CreateIntent | undefined): boolean =>
  a !== undefined && b !== undefined && a.eventId === b.eventId && a.startedAt === b.startedAt;

/**
 * The lease taken, from the entry as the acquire found it. When the entry found already held this
 * lease, the acquire is the SDK resending its own write after a lost answer, and an intent found
 * that is exactly the one passed is this attempt's, not an earlier one's. (A redelivery of the same
 * event is another owner: an identical intent it finds is an earlier attempt's.)
 */
export const leaseTaken = (
  found: LedgerEntry,
  lease: Lease,
  intent: CreateIntent | undefined,
  foundOwner: string | undefined,
): Extract<LeaseResult, { acquired: true }> => {
  const own = foundOwner === lease.owner && sameIntent(found.createIntent, intent);
  const { createIntent: _own, ...withoutOwn } = found;
  return {
    acquired: true,
    entry: own ? withoutOwn : found,
    lease,
    intentRecorded: intent !== undefined && (own || found.createIntent === undefined),
  };
};

export const createDynamoDbLedger = ({
  client,
  tableName,
  now = Date.now,
}: DynamoDbLedgerOptions): TenantLedger => {
  const key = (tenantId: string): Item => ({ [LEDGER_PARTITION_KEY]: s(tenantId) });

  /** One SDK call; a failure becomes a LedgerCallError carrying the retry decision. */
  const call = async <T>(operation: string, tenantId: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      throw new LedgerCallError(operation, tenantId, error);
    }
  };

  /** A write fenced on the lease: a condition failure means the lease is no longer ours. */
  const fenced = async (lease: Lease, step: string, command: UpdateItemCommand): Promise<void> => {
    try {
      await client.send(command);
    } catch (error) {
      if (isConditionFailure(error)) throw new LeaseLostError(lease.tenantId, step);
      throw new LedgerCallError('UpdateItem', lease.tenantId, error);
    }
  };

  const leaseValues = (lease: Lease): Item => ({ ':owner': s(lease.owner), ':version': n(lease.version) });

  return {
    acquire: async (tenantId, owner, expiresAt, at, intent) => {
      // The intent rides on the lease's write: the created event it belongs to is about to look
      // its subaccount up and, most often, create it; one round trip fewer on every signup.
      // if_not_exists keeps an earlier attempt's intent, whose age the settle time counts from.
      const intentClause =
        intent === undefined
          ? ''
          : ', #intentEventId = if_not_exists(#intentEventId, :intentEventId), #intentStartedAt = if_not_exists(#intentStartedAt, :intentStartedAt)';
      try {
        const answer = await client.send(
          new UpdateItemCommand(
            expressions({
              TableName: tableName,
              Key: key(tenantId),
              UpdateExpression: `SET #leaseOwner = :owner, #leaseExpiresAt = :expiresAt, #version = if_not_exists(#version, :zero)${intentClause}`,
              // Re-entrant for its own owner: the SDK resending an acquire whose answer was lost
              // must not find the tenant busy with itself until the lease lapses.
              ConditionExpression:
                'attribute_not_exists(#leaseOwner) OR #leaseExpiresAt < :now OR #leaseOwner = :owner',
              ExpressionAttributeValues: {
                ':owner': s(owner),
                ':expiresAt': n(expiresAt),
                ':zero': n(0),
                ':now': n(at),
                ...(intent === undefined
                  ? {}
                  : { ':intentEventId': s(intent.eventId), ':intentStartedAt': n(intent.startedAt) }),
              },
              // The item as it was: what an earlier attempt left (its intent among it).
              ReturnValues: 'ALL_OLD' as const,
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
            }),
          ),
        );
        const item = answer.Attributes ?? key(tenantId);
        const found = parseLedgerItem(item);
        const lease = { tenantId, owner, version: found.version, expiresAt };
        return leaseTaken(found, lease, intent, item.leaseOwner?.S);
      } catch (error) {
        if (!isConditionFailure(error)) throw new LedgerCallError('UpdateItem', tenantId, error);
        const held = (error as { Item?: Item }).Item?.leaseExpiresAt?.N;
        return held === undefined ? { acquired: false } : { acquired: false, heldUntil: Number(held) };
      }
    },

    recordCreateIntent: (lease, intent) =>
      fenced(
        lease,
        'recording the create intent',
        new UpdateItemCommand(
          expressions({
            TableName: tableName,
            Key: key(lease.tenantId),
            UpdateExpression: 'SET #intentEventId = :intentEventId, #intentStartedAt = :intentStartedAt',
            ConditionExpression: FENCE,
            ExpressionAttributeValues: {
              ...leaseValues(lease),
              ':intentEventId': s(intent.eventId),
              ':intentStartedAt': n(intent.startedAt),
            },
          }),
        ),
      ),

    commit: (lease, state) => {
      const update = stateUpdate(state, now());
      return fenced(
        lease,
        'the commit',
        new UpdateItemCommand(
          expressions({
            TableName: tableName,
            Key: key(lease.tenantId),
            UpdateExpression: `SET ${update.set}, #version = :next REMOVE ${[...update.remove, '#leaseOwner', '#leaseExpiresAt', '#intentEventId', '#intentStartedAt'].join(', ')}`,
            ConditionExpression: FENCE,
            ExpressionAttributeValues: {
              ...leaseValues(lease),
              ...update.values,
              ':next': n(lease.version + 1),
            },
          }),
        ),
      );
    },

    release: async (lease, dropIntent) => {
      const intentValues: Item =
        dropIntent === undefined
          ? {}
          : { ':intentEventId': s(dropIntent.eventId), ':intentStartedAt': n(dropIntent.startedAt) };
      try {
        await client.send(
          new UpdateItemCommand(
            expressions({
              TableName: tableName,
              Key: key(lease.tenantId),
              UpdateExpression:
                dropIntent === undefined
                  ? 'REMOVE #leaseOwner, #leaseExpiresAt'
                  : 'REMOVE #leaseOwner, #leaseExpiresAt, #intentEventId, #intentStartedAt',
              ConditionExpression:
                dropIntent === undefined
                  ? '#leaseOwner = :owner'
                  : '#leaseOwner = :owner AND #intentEventId = :intentEventId AND #intentStartedAt = :intentStartedAt',
              ExpressionAttributeValues: { ':owner': s(lease.owner), ...intentValues },
            }),
          ),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw new LedgerCallError('UpdateItem', lease.tenantId, error);
      }
    },

    read: async (tenantId) => {
      const answer = await call('GetItem', tenantId, () =>
        client.send(new GetItemCommand({ TableName: tableName, Key: key(tenantId), ConsistentRead: true })),
      );
      return answer.Item === undefined ? undefined : parseLedgerItem(answer.Item);
    },

    adopt: async (tenantId, state) => {
      const update = stateUpdate(state, now());
      try {
        await client.send(
          new UpdateItemCommand(
            expressions({
              TableName: tableName,
              Key: key(tenantId),
              UpdateExpression: `SET ${update.set}, #version = if_not_exists(#version, :zero)`,
              ConditionExpression: 'attribute_not_exists(#lifecycle)',
              ExpressionAttributeValues: { ...update.values, ':zero': n(0) },
            }),
          ),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw new LedgerCallError('UpdateItem', tenantId, error);
      }
    },
  };
};
