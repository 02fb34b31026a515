import { followUpTexts } from '../../server/src/i18n/follow-up-texts';
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { Limits } from '../../protocol/src/limits';
import { buildAnswersSchema, type PublicField, type PublicSiteConfig, type SurveyMessages } from '../../protocol/src/survey';
import { fromDataset, fromInit, initialValue, type Overrides, type PageFacts, withOverrides } from '../../widget/src/overrides';

/** A script tag's dataset, as the browser builds it from data-* attributes (always text). */
const dataset = (attrs: Record<string, string>): DOMStringMap => ({ site: 'demo', ...attrs });

describe('per-page overrides from the script tag (fromDataset)', () => {
  it('reads every presentation attribute by its dataset name', () => {
    const o = fromDataset(
      {},
      dataset({
        locale: 'ru-RU',
        position: 'left',
        primary: '#0F766e',
        onPrimary: '#ffffff',
        offsetX: '0',
        offsetY: '200',
        launcher: 'text',
        mode: 'dark',
        title: 'Помощь',
        greeting: 'Здравствуйте!\nЧем помочь?',
        launcherText: '聊天',
        startButton: 'Go',
        placeholder: 'مرحبا',
        valueOrderId: 'NW-12345',
        valuePlan: 'pro',
      }),
    );
    expect(o).toEqual({
      locale: 'ru-RU',
      position: 'left',
      primary: '#0F766e',
      onPrimary: '#ffffff',
      offsetX: '0',
      offsetY: '200',
      launcher: 'text',
      mode: 'dark',
      title: 'Помощь',
      greeting: 'Здравствуйте!\nЧем помочь?',
      launcherText: '聊天',
      startButton: 'Go',
      placeholder: 'مرحبا',
      valueOrderId: 'NW-12345',
      valuePlan: 'pro',
    });
  });

  it.each([
    ['primary', 'red'],
    ['primary', '#fff'],
    ['primary', '#12345g'],
    ['primary', '#1234567'],
    ['onPrimary', 'url(https://evil.example/x.png)'],
    ['primary', '#000000;background:url(x)'],
    ['offsetX', '-1'],
    ['offsetX', '201'],
    ['offsetY', '20px'],
    ['offsetY', '1e2'],
    ['offsetY', ''],
    ['offsetX', ' 20'],
    ['position', 'center'],
    ['position', 'LEFT'],
    ['launcher', 'big'],
    ['mode', 'dim'],
    ['locale', '<script>'],
    ['locale', 'english'],
    ['locale', 'en US'],
    ['title', '   \n\t '],
    ['title', ''],
    ['greeting', 'x'.repeat(1001)],
    ['valueOrder-id', 'x'],
    ['valueX', ' '],
  ])('drops %s="%s", which fails its check', (key, value) => {
    expect(fromDataset({}, dataset({ [key]: value }))).toEqual({});
  });

  it('keeps a text of exactly 1,000 characters, and HTML or script as plain text', () => {
    const long = 'é'.repeat(1000);
    const html = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    expect(fromDataset({}, dataset({ greeting: long, title: html }))).toEqual({ greeting: long, title: html });
  });

  it('ignores every attribute that would reshape the survey or its consent', () => {
    const o = fromDataset(
      {},
      dataset({ consent: 'false', consentRequired: 'false', required: 'false', fields: '[]', prechat: '{}', messages: 'x', site: 'other' }),
    );
    expect(o).toEqual({});
  });
});

describe('ChatWidget.init options (fromInit)', () => {
  it('reads colours, texts and values from their groups; the launcher kind at the top, its text under texts', () => {
    const o = fromInit(
      {},
      {
        locale: 'ar',
        position: 'right',
        offsetX: 24,
        offsetY: 0,
        launcher: 'icon',
        mode: 'auto',
        colors: { primary: '#111827', onPrimary: '#FFFFFF' },
        texts: { title: 'Help', greeting: 'Hi', launcher: 'Ask us', startButton: 'Start', placeholder: 'Type…' },
        values: { orderId: 'NW-00001', age: 42 },
      },
    );
    expect(o).toEqual({
      locale: 'ar',
      position: 'right',
      offsetX: '24',
      offsetY: '0',
      launcher: 'icon',
      mode: 'auto',
      primary: '#111827',
      onPrimary: '#FFFFFF',
      title: 'Help',
      greeting: 'Hi',
      launcherText: 'Ask us',
      startButton: 'Start',
      placeholder: 'Type…',
      valueorderId: 'NW-00001',
      valueage: '42',
    });
  });

  it('lets a later call win over an earlier one and over the attributes, keeping what it does not set', () => {
    let o = fromDataset({}, dataset({ primary: '#000000', title: 'From the tag', valuePlan: 'free' }));
    o = fromInit(o, { colors: { primary: '#ffffff' }, values: { plan: 'pro' } });
    o = fromInit(o, { texts: { title: 'From init' } });
    expect(o).toMatchObject({ primary: '#ffffff', title: 'From init', valuePlan: 'free', valueplan: 'pro' });
  });

  it.each([[null], [undefined], ['init'], [42], [true], [[]], [() => 1]])('treats %s as no options', (options) => {
    expect(fromInit({ title: 'kept' }, options)).toEqual({ title: 'kept' });
  });

  it('drops values of the wrong types and badly shaped groups without throwing', () => {
    const o = fromInit(
      {},
      {
        offsetX: '50',
        offsetY: 1000,
        mode: ['dark'],
        position: { toString: () => 'left' },
        colors: null,
        texts: 'Help',
        values: { ok: 'yes', list: ['a'], flag: true, nested: { a: 1 }, 'bad-key': 'x', ['k'.repeat(41)]: 'x', empty: '' },
      },
    );
    expect(o).toEqual({ offsetX: '50', valueok: 'yes' });
  });

  it('never lets values or keys reach a prototype', () => {
    const o = fromInit({}, JSON.parse('{"__proto__":{"polluted":"yes"},"values":{"__proto__":"x","constructor":"y"}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(o).toEqual({ valueconstructor: 'y' });
  });

  it('cannot un-require the consent box or a field, whatever it is given', () => {
    const o = fromInit({}, { consent: { required: false }, required: false, fields: [], prechat: { consent: null }, texts: { consent: 'no' } });
    expect(o).toEqual({});
    const shown = withOverrides(config(), { ...o, consent: 'x', prechat: 'y' } as unknown as Overrides);
    expect(shown.prechat).toEqual(config().prechat);
  });
});

function config(): PublicSiteConfig {
  return {
    siteId: 'demo',
    language: 'en',
    direction: 'ltr',
    languages: ['en'],
    followUpTexts: followUpTexts('en'),
    texts: { title: 'Support', greeting: 'Hello', launcher: 'Chat with us', startButton: 'Start chat', placeholder: 'Write…', offlineTitle: 'Away' },
    theme: { primary: '#1d4ed8', onPrimary: '#ffffff', position: 'right', offsetX: 20, offsetY: 20, launcher: 'icon', mode: 'light' },
    prechat: {
      fields: [{ key: 'name', type: 'text', label: 'Name', required: true }],
      consent: { required: true, text: 'I agree', policyUrl: 'https://example.com/privacy' },
    },
    messages: {} as PublicSiteConfig['messages'],
    ui: {} as PublicSiteConfig['ui'],
  };
}

describe('the config as the page shows it (withOverrides)', () => {
  it('puts the page’s texts and looks over the site’s, the launcher text under its own name', () => {
    const shown = withOverrides(config(), fromInit({}, { mode: 'dark', position: 'left', colors: { primary: '#000000' }, texts: { title: 'Hi', launcher: 'Talk' } }));
    expect(shown.texts).toMatchObject({ title: 'Hi', launcher: 'Talk', greeting: 'Hello', startButton: 'Start chat', offlineTitle: 'Away' });
    expect(shown.theme).toMatchObject({ primary: '#000000', onPrimary: '#ffffff', position: 'left', mode: 'dark', launcher: 'icon', offsetX: 20 });
  });

  it('leaves the site’s config as it was', () => {
    const site = config();
    withOverrides(site, { title: 'x', primary: '#000000' });
    expect(site).toEqual(config());
  });
});

describe('a field’s starting value (initialValue)', () => {
  const page: PageFacts = {
    url: 'https://shop.example/tea?utm_campaign=spring&ref=&q=a%26b',
    path: '/tea',
    title: 'Sencha — Northwind',
    referrer: 'https://search.example/',
    search: '?utm_campaign=spring&ref=&q=a%26b',
  };
  const hidden = (source: PublicField['source'], dflt?: string): PublicField => ({
    key: 'campaign',
    type: 'hidden',
    label: 'Campaign',
    required: false,
    source,
    default: dflt,
  });

  it.each<[string, PublicField, Overrides, string | boolean | undefined]>([
    ['the page’s value first', hidden({ param: 'utm_campaign', page: 'title' }, 'none'), { valueCampaign: 'from-js' }, 'from-js'],
    ['then the URL parameter', hidden({ param: 'utm_campaign', page: 'title' }, 'none'), {}, 'spring'],
    ['then the page fact when the parameter is missing', hidden({ param: 'nope', page: 'title' }, 'none'), {}, 'Sencha — Northwind'],
    ['then the page fact when the parameter is empty', hidden({ param: 'ref', page: 'path' }, 'none'), {}, '/tea'],
    ['a decoded parameter', hidden({ param: 'q' }), {}, 'a&b'],
    ['the url', hidden({ page: 'url' }), {}, page.url],
    ['the referrer', hidden({ page: 'referrer' }), {}, 'https://search.example/'],
    ['then the owner’s default', hidden({ param: 'nope' }, 'none'), {}, 'none'],
    ['nothing at all', hidden(undefined), {}, undefined],
    ['keys matched whatever their case', hidden(undefined), { valuecampaign: 'lower' }, 'lower'],
  ])('takes %s', (_name, field, overrides, expected) => {
    expect(initialValue(field, overrides, page)).toBe(expected);
  });

  it('prefills a visible field with the page’s value over the owner’s default', () => {
    const field: PublicField = { key: 'orderId', type: 'text', label: 'Order', required: false, default: 'NW-' };
    expect(initialValue(field, { valueOrderId: 'NW-12345' }, page)).toBe('NW-12345');
    expect(initialValue(field, {}, page)).toBe('NW-');
  });

  it('never ticks a checkbox for the page: only the owner’s default counts', () => {
    const box: PublicField = { key: 'newsletter', type: 'checkbox', label: 'News', required: true };
    expect(initialValue(box, { valueNewsletter: 'true' }, page)).toBeUndefined();
    expect(initialValue({ ...box, default: true }, {}, page)).toBe(true);
  });

  it('cuts what the URL, title or referrer give to the field’s longest answer, so the visitor is never refused for it', () => {
    const long = 'x'.repeat(5000);
    const bigPage: PageFacts = { url: `https://shop.example/?c=${long}`, path: `/${long}`, title: `Титул ${long}`, referrer: `https://r.example/${long}`, search: `?c=${long}` };
    // no maxLength: the protocol's answer limit (1,000), the widget's and the server's alike
    expect(initialValue(hidden({ param: 'c' }), {}, bigPage)).toBe(long.slice(0, Limits.answerText));
    expect(initialValue(hidden({ page: 'url' }), {}, bigPage)).toHaveLength(Limits.answerText);
    expect(initialValue(hidden({ page: 'referrer' }), {}, bigPage)).toBe(bigPage.referrer.slice(0, Limits.answerText));
    // the owner's maxLength when set
    const short = { ...hidden({ page: 'title' }), maxLength: 8 };
    expect(initialValue(short, {}, bigPage)).toBe('Титул xx');
    expect(initialValue({ ...hidden({ page: 'path' }), maxLength: 3 }, {}, bigPage)).toBe('/xx');
    // the page's own value too, and a short value is left whole
    expect(initialValue({ ...hidden(undefined), maxLength: 4 }, { valueCampaign: 'spring-sale' }, page)).toBe('spri');
    expect(initialValue(short, {}, page)).toBe('Sencha —');
    expect(initialValue(hidden({ page: 'path' }), {}, page)).toBe('/tea');
    // and what is cut passes the same schema the widget and the server check with
    const fields: PublicField[] = [{ ...hidden({ param: 'c' }), maxLength: 50 }, { ...hidden({ page: 'url' }), key: 'landing' }];
    const answers = Object.fromEntries(fields.map((f) => [f.key, initialValue(f, {}, bigPage)]));
    const schema = buildAnswersSchema(fields, { tooLong: 'too long' } as SurveyMessages);
    expect(v.safeParse(schema, answers).success).toBe(true);
    expect(v.safeParse(schema, { campaign: long, landing: long }).success).toBe(false);
  });

  it('leaves a checkbox’s default and an absent value as they are', () => {
    expect(initialValue({ key: 'box', type: 'checkbox', label: 'Box', required: false, maxLength: 1, default: true }, {}, page)).toBe(true);
    expect(initialValue({ ...hidden({ param: 'nope' }), maxLength: 2 }, {}, page)).toBeUndefined();
  });

  it('gives an empty referrer no say: the default follows', () => {
    expect(initialValue(hidden({ page: 'referrer' }, 'direct'), {}, { ...page, referrer: '' })).toBe('direct');
  });
});
