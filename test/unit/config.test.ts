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
    expect(config.sites.demo?.prechat.fields.map((f) => f.key)).toEqual(['name', 'email', 'orderId', 'inquiryType', 'campaign']);
    const minimal = validateConfig({ sites: { shop: { name: 'Shop' } } });
    expect(minimal.sites.shop?.texts.startButton).toBe('Start chat');
    expect(minimal.sites.shop?.theme.position).toBe('right');
  });

  it.each([
    [site({ fields: [{ key: 'a', type: 'text', label: 'A' }, { key: 'b', type: 'text', label: 'B' }, { key: 'c', type: 'date', label: 'C' }] }), 'sites.demo.prechat.fields[2].type: expected one of text, textarea, email, phone, number, select, radio, checkbox, hidden'],
    [site({ fields: [{ key: '1bad', type: 'text', label: 'A' }] }), 'sites.demo.prechat.fields[0].key: expected a key of letters'],
    [site({ fields: [{ key: 'kind', type: 'select', label: 'Kind' }] }), 'sites.demo.prechat.fields[0].options: a select or radio field needs at least one option'],
    [site({ fields: [{ key: 'a', type: 'text', label: 'A' }, { key: 'a', type: 'text', label: 'A again' }] }), 'sites.demo.prechat.fields: field keys must be unique'],
    [site({ fields: [] }, { theme: { primary: 'blue' } }), 'sites.demo.theme.primary: expected a colour such as #2563eb'],
    [site({ fields: [] }, { allowedOrigins: ['shop.example'] }), 'sites.demo.allowedOrigins[0]: expected an origin'],
    [site({ fields: [] }, { theme: { position: 'top' } }), 'sites.demo.theme.position: expected left or right'],
    [site({ fields: [] }, { theme: { offsetX: 500 } }), 'sites.demo.theme.offsetX: Invalid value'],
    [site({ fields: [] }, { theme: { offsetY: 'lots' } }), 'sites.demo.theme.offsetY: expected a number of pixels'],
    [site({ fields: [] }, { theme: { launcher: 'emoji' } }), 'sites.demo.theme.launcher: expected icon or text'],
    [site({ fields: [] }, { theme: { mode: 'sepia' } }), 'sites.demo.theme.mode: expected light, dark or auto'],
    [site({ fields: [] }, { languages: ['en', 'Spanish'] }), 'sites.demo.languages[1]: expected a language tag such as en or zh-CN'],
    [site({ fields: [] }, { languages: [] }), 'sites.demo.languages: expected at least one language'],
    [site({ fields: [] }, { texts: { offlineTitle: 42 } }), 'sites.demo.texts.offlineTitle: Invalid type'],
    [site({ fields: [] }, { texts: { title: { english: 'Hi' } } }), 'sites.demo.texts.title.english: expected a language tag such as en or zh-CN'],
    [site({ fields: [{ key: 'order', type: 'text', label: 'Order', pattern: '(a+)+' }] }), 'sites.demo.prechat.fields[0].pattern: a repeated group may not contain a quantifier'],
    [site({ fields: [{ key: 'order', type: 'text', label: 'Order', pattern: '［(a+)+］' }] }), 'sites.demo.prechat.fields[0].pattern: a repeated group may not contain a quantifier'],
    [site({ fields: [{ key: 'order', type: 'text', label: 'Order', pattern: '([' }] }), 'sites.demo.prechat.fields[0].pattern: not a valid regular expression'],
    [site({ fields: [{ key: 'n', type: 'number', label: 'N', pattern: '\\d+' }] }), 'sites.demo.prechat.fields[0].pattern: a pattern applies to text, textarea and hidden fields only'],
    [site({ fields: [{ key: 'ref', type: 'text', label: 'Ref', source: { param: 'ref' } }] }), 'sites.demo.prechat.fields[0].source: only a hidden field has a source'],
    [site({ fields: [{ key: 'ref', type: 'hidden', label: 'Ref', source: { page: 'cookie' } }] }), 'sites.demo.prechat.fields[0].source.page: expected one of url, path, title, referrer'],
    [site({ fields: [{ key: 'ref', type: 'hidden', label: 'Ref', source: { param: 'a b' } }] }), 'sites.demo.prechat.fields[0].source.param: expected a URL parameter name'],
    [site({ fields: [{ key: 'k', type: 'select', label: 'K', options: [{ value: 'a', label: 'A' }], default: 'b' }] }), "sites.demo.prechat.fields[0].default: the default must be one of the options' values"],
    [site({ fields: [{ key: 'ok', type: 'checkbox', label: 'OK', default: 'yes' }] }), 'sites.demo.prechat.fields[0].default: a checkbox takes true or false'],
    [site({ fields: [{ key: 'n', type: 'text', label: 'N', maxLength: 5000 }] }), 'sites.demo.prechat.fields[0].maxLength: Invalid value'],
    [site({ fields: [], consent: { text: 'OK?', policyUrl: 'not a url' } }), 'sites.demo.prechat.consent.policyUrl: expected a URL'],
    [{ sites: { 'Bad Id': { name: 'x' } } }, 'sites.Bad Id: expected a site id'],
    [{ sites: {} }, 'sites: expected at least one site'],
    [{}, 'sites: Invalid key'],
  ])('names the exact path of a bad value (%#)', (input, expected) => {
    const found = problems(input);
    expect(found.some((p) => p.startsWith(expected)), found.join('\n')).toBe(true);
  });

  it('accepts every new survey setting and fills the theme defaults', () => {
    const config = validateConfig(
      site(
        {
          fields: [
            { key: 'order', type: 'text', label: { en: 'Order', ru: 'Заказ' }, pattern: 'NW-\\d{5}', patternError: { en: 'Like NW-12345' } },
            { key: 'plan', type: 'radio', label: 'Plan', options: [{ value: 'pro', label: 'Pro' }], default: 'pro' },
            { key: 'news', type: 'checkbox', label: 'News', default: true },
            { key: 'ref', type: 'hidden', label: 'Ref', source: { param: 'utm_source' } },
          ],
        },
        { languages: ['en', 'ru'], texts: { offlineTitle: { en: 'Away', ru: 'Нет на месте' } } },
      ),
    );
    const demo = config.sites.demo!;
    expect(demo.theme).toEqual({ primary: '#2563eb', onPrimary: '#ffffff', position: 'right', offsetX: 20, offsetY: 20, launcher: 'icon', mode: 'light' });
    expect(demo.prechat.fields.map((f) => f.default)).toEqual([undefined, 'pro', true, undefined]);
    expect(demo.texts.offlineTitle).toEqual({ en: 'Away', ru: 'Нет на месте' });
  });

  it('reports an unreadable or non-JSON file without a stack trace', () => {
    const file = join(tmpdir(), `parley-bad-${process.pid}.json`);
    writeFileSync(file, '{ "sites": ');
    expect(() => loadConfig(file)).toThrow(/not valid JSON/);
    expect(() => loadConfig('/nonexistent/parley.json')).toThrow(/cannot read the file/);
  });
});
