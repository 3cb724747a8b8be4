/** The event contract as JSON Schema, for producers in any language (docs/event.schema.json). */
import * as z from '../zod.ts';
import { tenantEventSchema } from './event.ts';

export const EVENT_SCHEMA_ID = 'urn:subaccount-provisioner:tenant-event:v1';

export const tenantEventJsonSchema = (): Record<string, unknown> => ({
  $id: EVENT_SCHEMA_ID,
  ...z.toJSONSchema(tenantEventSchema, { target: 'draft-2020-12', io: 'input' }),
});
