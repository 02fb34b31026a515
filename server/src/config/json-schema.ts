import { type ConversionConfig, toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { ConfigSchema } from './schema';

type AnySchema = v.GenericSchema;

/**
 * A lazy schema picks its schema by the input (a schedule's name, or a schedule): the converter
 * would only ever see the pick for `undefined`, so each pick for a string and for an object goes
 * into an `anyOf`.
 */
const options: ConversionConfig = {
  errorMode: 'ignore',
  overrideSchema({ valibotSchema }) {
    if (valibotSchema.type !== 'lazy') return undefined;
    const getter = (valibotSchema as unknown as { getter(input: unknown): AnySchema }).getter;
    const picks = [...new Set([getter(''), getter({})])];
    const branches = picks.map((pick) => {
      const { $schema: _, ...json } = toJsonSchema(pick, options) as Record<string, unknown>;
      return json;
    });
    return branches.length === 1 ? branches[0] : { anyOf: branches };
  },
};

/**
 * The config file's JSON Schema, generated from the valibot schema the server validates with, so
 * editors complete and check `parley.config.json` (its `$schema` key points at the file `npm run
 * build` writes, `dist/public/parley.config.schema.json`, also served at `/parley.config.schema.json`).
 * What JSON Schema cannot say (a survey pattern's safety, a label that must exist, a site that must
 * have one language) is still checked by the server at start, with the path of each problem.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = toJsonSchema(ConfigSchema, options) as Record<string, unknown>;
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://parley.dev/parley.config.schema.json',
    title: 'Parley configuration',
    description: 'The config file of a Parley server (parley.config.json). See docs/CONFIGURATION.md.',
    // the file may name its schema; the server ignores the key
    properties: { $schema: { type: 'string' }, ...properties },
  };
}
