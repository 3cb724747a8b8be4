import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import {
  buildOutcomeEvent,
  buildRejectedOutcome,
  OUTCOME_SOURCE,
  OUTCOME_TYPES,
  type OutcomeEvent,
  outcomeEventSchema,
} from '../../../../shared/domain/outcome-event.ts';
import { outcomeEventJsonSchema } from '../../../../shared/outcomes/json-schema.ts';
import { tenantEvent } from '../../../helpers/events.ts';

const published = JSON.parse(
  readFileSync(new URL('../../../../docs/outcome.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const guide = readFileSync(new URL('../../../../docs/outcomes.md', import.meta.url), 'utf8');

const ajv = new Ajv2020({ allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(published);

const SID = 'AC0123456789abcdef0123456789abcdef';
const at = new Date('2026-11-27T09:00:01.250Z');

/** One valid outcome of every type, built the way the service builds them. */
const examples = (): OutcomeEvent[] => {
  const cause = tenantEvent('tenant.created', 'acme');
  return [
    buildOutcomeEvent(cause, { type: 'tenant.provisioned', accountSid: SID, secretName: 'tenants/acme' }, at),
    buildOutcomeEvent(cause, { type: 'tenant.suspended', accountSid: SID }, at),
    buildOutcomeEvent(cause, { type: 'tenant.reactivated', accountSid: SID, secretName: 'tenants/acme' }, at),
    buildOutcomeEvent(
      cause,
      { type: 'tenant.close-scheduled', accountSid: SID, closeDueAt: new Date('2027-01-01T00:00:00Z') },
      at,
    ),
    buildOutcomeEvent(cause, { type: 'tenant.closed', accountSid: SID }, at),
    buildOutcomeEvent(
      cause,
      {
        type: 'tenant.credentials-rotated',
        accountSid: SID,
        secretName: 'tenants/acme',
        status: 'suspended',
      },
      at,
    ),
    buildRejectedOutcome(
      { messageId: 'm-1', tenantId: 'acme', eventId: cause.eventId, occurredAt: cause.occurredAt },
      { errorCode: 'ILLEGAL_TRANSITION', reason: 'closed subaccounts cannot be reopened' },
      at,
    ),
    buildRejectedOutcome({ messageId: 'm-2' }, { errorCode: 'EVENT_INVALID_JSON', reason: 'not JSON' }, at),
  ];
};

/** The JSON code blocks of docs/outcomes.md that are PutEvents entries. */
const documentedEntries = (): Array<{ Source: string; DetailType: string; Time: string; Detail: unknown }> =>
  [...guide.matchAll(/```json\n([\s\S]*?)```/g)]
    .map((match) => JSON.parse(match[1]!) as Record<string, unknown>)
    .filter((block) => 'Detail' in block) as never;

describe('the published outcome JSON Schema', () => {
  it('is the one generated from the zod contract (run `npm run schema` after changing it)', () => {
    expect(published).toEqual(outcomeEventJsonSchema());
  });

  it('carries the title and the deduplication rule for consumers', () => {
    expect(published).toMatchObject({
      $id: 'urn:subaccount-provisioner:outcome-event:v1',
      title: 'OutcomeEvent',
    });
    expect(published.description).toContain('(causingEventId, type)');
  });

  it('has no field that could hold a secret, and refuses any field it does not list', () => {
    const fields = new Set(
      (
        published.oneOf as Array<{ properties: Record<string, unknown>; additionalProperties: unknown }>
      ).flatMap((option) => {
        expect(option.additionalProperties).toBe(false);
        return Object.keys(option.properties);
      }),
    );
    expect(
      [...fields].filter((field) => /token|secret(?!Name)|key|password|credential/i.test(field)),
    ).toEqual([]);
  });

  it('accepts every outcome the builders make', () => {
    for (const outcome of examples()) expect(validate(outcome), JSON.stringify(validate.errors)).toBe(true);
  });

  it('accepts and rejects the same outcomes as the zod contract', () => {
    const [provisioned, , , scheduled, , , rejected] = examples();
    const samples: unknown[] = [
      ...examples(),
      { ...provisioned, authToken: 'tok' },
      { ...provisioned, version: 2 },
      { ...provisioned, status: 'suspended' },
      { ...provisioned, secretName: undefined },
      { ...provisioned, accountSid: 'PN0123456789abcdef0123456789abcdef' },
      { ...provisioned, tenantId: 'bad id' },
      { ...provisioned, type: 'tenant.deleted' },
      { ...provisioned, causingOccurredAt: '2026-11-27' },
      { ...provisioned, causingOccurredAt: '2026-11-27T10:00:00+02:00' },
      { ...provisioned, publishedAt: '2026-11-27T10:00:00+02:00' },
      { ...provisioned, closeDueAt: '2027-01-01T00:00:00.000Z' },
      { ...provisioned, errorCode: 'X' },
      { ...scheduled, closeDueAt: undefined },
      { ...scheduled, status: 'closed' },
      { ...rejected, reason: '' },
      { ...rejected, reason: 'x'.repeat(1025) },
      { ...rejected, errorCode: 'not a code' },
      { ...rejected, tenantId: undefined, causingOccurredAt: undefined },
      { ...rejected, causingEventId: undefined },
      { type: 'tenant.provisioned' },
      'tenant.provisioned',
    ];
    for (const sample of samples) {
      const json = JSON.parse(JSON.stringify(sample ?? null)) as unknown;
      expect(validate(json), JSON.stringify(sample)).toBe(outcomeEventSchema.safeParse(json).success);
    }
    expect(validate({ ...provisioned, authToken: 'tok' })).toBe(false);
  });

  it('documents an example entry of every type in docs/outcomes.md, each valid against it', () => {
    const entries = documentedEntries();
    expect(new Set(entries.map((entry) => entry.DetailType))).toEqual(new Set(OUTCOME_TYPES));
    for (const entry of entries) {
      expect(validate(entry.Detail), `${entry.DetailType}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(entry.Source).toBe(OUTCOME_SOURCE);
      expect(entry.Detail).toMatchObject({ type: entry.DetailType, publishedAt: entry.Time });
    }
  });

  it('documents the rule pattern that subscribes to one type', () => {
    expect(guide).toContain(
      '{ "source": ["subaccount-provisioner"], "detail-type": ["tenant.provisioned"] }',
    );
  });
});
