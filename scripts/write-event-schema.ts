// Regenerates docs/event.schema.json from the zod contract: `npm run schema`.
import { writeFileSync } from 'node:fs';
import { tenantEventJsonSchema } from '../shared/domain/event-json-schema.ts';

const target = new URL('../docs/event.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(tenantEventJsonSchema(), null, 2)}\n`);
process.stderr.write(`wrote ${target.pathname}\n`);
