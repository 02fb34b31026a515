import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../server/src/config/json-schema';
import { validateConfig } from '../../server/src/config/load';
import { ROOT } from '../../server/src/paths';

const demo = JSON.parse(readFileSync(join(ROOT, 'demo/parley.config.json'), 'utf8')) as Record<string, unknown> & { sites: Record<string, Record<string, unknown>> };
const check = new Ajv({ strict: false, allErrors: true }).compile(configJsonSchema());

describe("the config file's JSON Schema, generated from the server's schema", () => {
  it('accepts the demo config, which names it with $schema, and the server accepts that key too', () => {
    expect(demo.$schema).toBe('../dist/public/parley.config.schema.json');
    expect(check(demo), JSON.stringify(check.errors)).toBe(true);
    expect(Object.keys(validateConfig(demo).sites)).toEqual(Object.keys(demo.sites));
  });

  it('refuses what the server refuses, at the same path, so an editor shows it where it is', () => {
    const cases: [string, (c: typeof demo) => void, string][] = [
      ['a colour that is not #rrggbb', (c) => ((c.sites.demo!.theme as Record<string, unknown>).primary = 'blue'), '/sites/demo/theme/primary'],
      ['a site id with capitals', (c) => (c.sites.Demo = c.sites.demo!), '/sites'],
      ['a name of the wrong type', (c) => (c.sites.demo!.name = 42), '/sites/demo/name'],
      ['an origin with a path', (c) => (c.sites.demo!.allowedOrigins = ['https://shop.example/page']), '/sites/demo/allowedOrigins/0'],
      ['a missing site name', (c) => delete c.sites.demo!.name, '/sites/demo'],
    ];
    for (const [what, spoil, path] of cases) {
      const config = structuredClone(demo);
      spoil(config);
      expect(check(config), what).toBe(false);
      expect(check.errors!.map((e) => e.instancePath), what).toContain(path);
      expect(() => validateConfig(config), what).toThrow();
    }
  });

  it('is written by the build beside the widget, where the server serves it', () => {
    const built = JSON.parse(readFileSync(join(ROOT, 'dist/public/parley.config.schema.json'), 'utf8'));
    expect(built).toEqual(configJsonSchema());
    expect(built.title).toBe('Parley configuration');
  });
});
