/** The outcome contract as JSON Schema, for consumers in any language (docs/outcome.schema.json). */
import { outcomeEventSchema } from '../domain/outcome-event.ts';
import * as z from '../zod.ts';

export const OUTCOME_SCHEMA_ID = 'urn:subaccount-provisioner:outcome-event:v1';

/** `output`: the schema describes what the service sends (the same as what it accepts, no defaults). */
export const outcomeEventJsonSchema = (): Record<string, unknown> => ({
  $id: OUTCOME_SCHEMA_ID,
  ...z.toJSONSchema(outcomeEventSchema, { target: 'draft-2020-12', io: 'output' }),
});
