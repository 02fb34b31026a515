import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from '../../server/src/config/load';
import { configProblems as problems } from '../helpers/config';
import { demoConfig } from '../helpers/server';

const site = (prechat: unknown, extra: Record<string, unknown> = {}) => ({ sites: { demo: { name: 'Demo', prechat, ...extra } } });

describe('config validation', () => {
  it('accepts the demo config and fills defaults', () => {
    const config = demoConfig();
    expect(config.sites.demo?.prechat.fields.map((f) => f.key)).toEqual(['name', 'email', 'inquiryType']);
    const minimal = validateConfig({ sites: { shop: { name: 'Shop' } } });
    expect(minimal.sites.shop?.texts.startButton).toBe('Start chat');
    expect(minimal.sites.shop?.theme.position).toBe('right');
  });

  it.each([
    [site({ fields: [{ key: 'a', type: 'text', label: 'A' }, { key: 'b', type: 'text', label: 'B' }, { key: 'c', type: 'date', label: 'C' }] }), 'sites.demo.prechat.fields[2].type: expected one of text, textarea, email, phone, number, select, radio, checkbox, hidden'],
    [site({ fields: [{ key: '1bad', type: 'text', label: 'A' }] }), 'sites.demo.prechat.fields[0].key: expected a key of letters'],
    [site({ fields: [{ key: 'kind', type: 'select', label: 'Kind' }] }), 'sites.demo.prechat.fields[0]: a select or radio field needs at least one option'],
    [site({ fields: [{ key: 'a', type: 'text', label: 'A' }, { key: 'a', type: 'text', label: 'A again' }] }), 'sites.demo.prechat.fields: field keys must be unique'],
    [site({ fields: [] }, { theme: { primary: 'blue' } }), 'sites.demo.theme.primary: expected a colour such as #2563eb'],
    [site({ fields: [] }, { allowedOrigins: ['shop.example'] }), 'sites.demo.allowedOrigins[0]: expected an origin'],
    [{ sites: { 'Bad Id': { name: 'x' } } }, 'sites.Bad Id: expected a site id'],
    [{ sites: {} }, 'sites: expected at least one site'],
    [{}, 'sites: Invalid key'],
  ])('names the exact path of a bad value (%#)', (input, expected) => {
    const found = problems(input);
    expect(found.some((p) => p.startsWith(expected)), found.join('\n')).toBe(true);
  });

  it('reports an unreadable or non-JSON file without a stack trace', () => {
    const file = join(tmpdir(), `parley-bad-${process.pid}.json`);
    writeFileSync(file, '{ "sites": ');
    expect(() => loadConfig(file)).toThrow(/not valid JSON/);
    expect(() => loadConfig('/nonexistent/parley.json')).toThrow(/cannot read the file/);
  });
});
