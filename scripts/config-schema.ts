// Writes the config file's JSON Schema, generated from the server's valibot schema, to
// dist/public/parley.config.schema.json (run by `npm run build`; served at /parley.config.schema.json).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configJsonSchema } from '../server/src/config/json-schema';
import { ROOT } from '../server/src/paths';

const file = join(ROOT, 'dist/public/parley.config.schema.json');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
