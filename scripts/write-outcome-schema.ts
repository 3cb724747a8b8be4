// Regenerates docs/outcome.schema.json from the zod outcome contract: `npm run schema`
// (or `npm run schema:outcome`). Written as Biome formats it, so `npm run lint` stays clean.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { outcomeEventJsonSchema } from '../shared/outcomes/json-schema.ts';

const target = new URL('../docs/outcome.schema.json', import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const json = `${JSON.stringify(outcomeEventJsonSchema(), null, 2)}\n`;
const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
const formatted = execFileSync(
  process.execPath,
  [biome, 'format', '--stdin-file-path=docs/outcome.schema.json'],
  {
    cwd: root,
    input: json,
    encoding: 'utf8',
  },
);
writeFileSync(target, formatted);
process.stderr.write(`wrote ${target.pathname}\n`);
