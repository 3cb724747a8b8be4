import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { tenantEventSchema } from '../../../../shared/domain/event.ts';
import { tenantEventJsonSchema } from '../../../../shared/domain/event-json-schema.ts';
import { tenantEvent } from '../../../helpers/events.ts';

const published = JSON.parse(
  readFileSync(new URL('../../../../docs/event.schema.json', import.meta.url), 'utf8'),
);

describe('the published JSON Schema', () => {
  it('is the one generated from the zod contract (run `npm run schema` after changing it)', () => {
    expect(published).toEqual(tenantEventJsonSchema());
  });

  it('accepts and rejects the same events as the zod contract', () => {
    const ajv = new Ajv2020({ allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(published);
    const good = tenantEvent('tenant.churned', 'acme', { tenantName: 'Acme' });
    const samples: unknown[] = [
      good,
      { ...good, occurredAt: '2026-11-27T10:00:00+02:00' },
      { ...good, version: 2 },
      { ...good, tenantId: 'bad id' },
      { ...good, type: 'tenant.deleted' },
      { ...good, occurredAt: '2026-11-27' },
      { ...good, eventId: '' },
      { tenantId: 'acme' },
    ];
    for (const sample of samples) {
      expect(validate(sample), JSON.stringify(sample)).toBe(tenantEventSchema.safeParse(sample).success);
    }
    expect(validate(good)).toBe(true);
  });
});
