import { describe, expect, it } from 'vitest';
import {
  addField,
  addOption,
  draftLanguages,
  fromValue,
  issueAt,
  issuesUnder,
  moveField,
  removeField,
  removeOption,
  type SurveyDraft,
  toValue,
  updateField,
  updateOption,
} from '../../console/src/models/survey-draft';
import type { SurveyValue } from '../../console/src/survey-api';

/** The draft as written, read as the survey it should be. */
const write = (d: SurveyDraft): SurveyValue => toValue(d) as unknown as SurveyValue;

const theme = { primary: '#1d4ed8', onPrimary: '#ffffff', position: 'right', offsetX: 20, offsetY: 24, launcher: 'icon', mode: 'light' } as const;

function survey(over: Partial<SurveyValue> = {}): SurveyValue {
  return {
    defaultLanguage: 'en',
    texts: { title: { en: 'Support', es: 'Soporte' }, startButton: { en: 'Start chat', es: 'Iniciar chat' } },
    theme: { ...theme },
    prechat: {
      fields: [
        { key: 'name', type: 'text', label: { en: 'Name', es: 'Nombre' }, required: true, maxLength: 100 },
        { key: 'email', type: 'email', label: { en: 'Email' }, required: true },
        {
          key: 'topic',
          type: 'select',
          label: { en: 'Topic' },
          required: false,
          options: [
            { value: 'billing', label: { en: 'Billing', es: 'Facturación' } },
            { value: 'other', label: { en: 'Other' } },
          ],
          default: 'billing',
        },
      ],
      consent: { required: true, text: { en: 'I agree.' }, policyUrl: 'https://example.com/privacy' },
    },
    ...over,
  };
}

describe('the survey draft', () => {
  it('writes back exactly what it read when nothing was edited', () => {
    const value = survey({ languages: ['en', 'es'] });
    expect(toValue(fromValue(value))).toEqual(value);
  });

  it('reads a text given once as the default language’s, which the widget shows the same way', () => {
    const value = survey({ defaultLanguage: 'es', texts: { title: 'Hola', greeting: '¿Qué tal?' } });
    value.prechat.fields[1] = { key: 'email', type: 'email', label: 'Correo', required: true, placeholder: 'tú@ejemplo.es' };
    const written = write(fromValue(value));
    expect(written.texts.title).toEqual({ es: 'Hola' });
    expect(written.prechat.fields[1]).toMatchObject({ label: { es: 'Correo' }, placeholder: { es: 'tú@ejemplo.es' } });
  });

  it('carries what it does not know through a save: new keys of the site, the theme and a field', () => {
    const value = { ...survey(), future: { on: true }, theme: { ...theme, radius: 12 } } as SurveyValue;
    (value.prechat.fields[0] as unknown as Record<string, unknown>).width = 'half';
    const written = toValue(fromValue(value)) as Record<string, unknown>;
    expect(written.future).toEqual({ on: true });
    expect(written.theme).toMatchObject({ radius: 12 });
    expect((written.prechat as SurveyValue['prechat']).fields[0]).toMatchObject({ width: 'half' });
  });

  it('leaves out empty texts, and an empty label stays for the server to name', () => {
    let d = fromValue(survey());
    d = updateField(d, 0, { label: { en: '', es: '  ' }, help: { en: '' } });
    d = { ...d, texts: { ...d.texts, title: { en: '', es: 'Soporte' }, greeting: { en: '' } } };
    const written = write(d);
    expect(written.prechat.fields[0]?.label).toEqual({});
    expect(written.prechat.fields[0]).not.toHaveProperty('help');
    expect(written.texts.title).toEqual({ es: 'Soporte' });
    expect(written.texts).not.toHaveProperty('greeting');
  });

  it('keeps HTML and unicode in texts exactly as typed', () => {
    const d = updateField(fromValue(survey()), 0, { label: { en: '<img src=x onerror=alert(1)>', 'zh-CN': '姓名', ar: 'الاسم 👋' } });
    expect(write(d).prechat.fields[0]?.label).toEqual({ en: '<img src=x onerror=alert(1)>', 'zh-CN': '姓名', ar: 'الاسم 👋' });
  });

  it('writes only the settings that apply to the field’s type', () => {
    let d = fromValue(survey());
    // a select turned into a text field loses its options and its option default
    d = updateField(d, 2, { type: 'text', default: '' });
    d = updateField(d, 1, { pattern: '.+@corp\\.example', patternError: { en: 'Use your work address' } });
    const written = write(d).prechat.fields;
    expect(written[2]).not.toHaveProperty('options');
    expect(written[2]).not.toHaveProperty('default');
    // an email field has no pattern
    expect(written[1]).not.toHaveProperty('pattern');
    expect(written[1]).not.toHaveProperty('patternError');

    d = updateField(d, 1, { type: 'hidden', sourceParam: 'utm_campaign', sourcePage: '' });
    d = updateField(d, 0, { type: 'checkbox', default: true, sourceParam: 'ignored' });
    const after = write(d).prechat.fields;
    expect(after[1]).toMatchObject({ type: 'hidden', source: { param: 'utm_campaign' }, pattern: '.+@corp\\.example' });
    expect(after[0]).toMatchObject({ type: 'checkbox', default: true });
    expect(after[0]).not.toHaveProperty('source');
    expect(after[0]).not.toHaveProperty('maxLength');
    expect(write(updateField(d, 0, { default: false })).prechat.fields[0]).not.toHaveProperty('default');
  });

  it('sends numbers as numbers and anything else as typed, for the server to name', () => {
    let d = fromValue(survey());
    d = updateField(d, 0, { maxLength: '250' });
    d = { ...d, theme: { ...d.theme, offsetX: '', offsetY: '1.5' } };
    const written = write(d);
    expect(written.prechat.fields[0]?.maxLength).toBe(250);
    expect(written.theme).not.toHaveProperty('offsetX');
    expect(written.theme.offsetY).toBe('1.5');
    expect(write(updateField(d, 0, { maxLength: 'lots' })).prechat.fields[0]?.maxLength).toBe('lots');
  });

  it('writes no consent when it is switched off, and no policy address when it is empty', () => {
    const d = fromValue(survey());
    expect(write({ ...d, consent: { ...d.consent, enabled: false } }).prechat.consent).toBeNull();
    expect(write({ ...d, consent: { ...d.consent, policyUrl: '  ' } }).prechat.consent?.policyUrl).toBeNull();
    expect(fromValue(survey({ prechat: { fields: [], consent: null } })).consent.enabled).toBe(false);
  });

  it('adds fields with unused keys, moves them within bounds and removes them', () => {
    let d = fromValue(survey());
    d = updateField(d, 0, { key: 'field4' });
    d = addField(d);
    expect(d.fields.map((f) => f.key)).toEqual(['field4', 'email', 'topic', 'field5']);
    const uid = d.fields[3]?.uid;
    d = moveField(d, 3, -1);
    expect(d.fields.map((f) => f.key)).toEqual(['field4', 'email', 'field5', 'topic']);
    expect(d.fields[2]?.uid).toBe(uid);
    expect(moveField(d, 0, -1)).toBe(d);
    expect(moveField(d, 3, 1)).toBe(d);
    d = removeField(d, 0);
    expect(write(d).prechat.fields.map((f) => f.key)).toEqual(['email', 'field5', 'topic']);
  });

  it('adds, edits and removes the options of a select', () => {
    let d = fromValue(survey());
    d = addOption(d, 2);
    d = updateOption(d, 2, 2, { value: 'shipping', label: { en: 'Shipping', es: 'Envíos' } });
    d = removeOption(d, 2, 1);
    expect(write(d).prechat.fields[2]?.options).toEqual([
      { value: 'billing', label: { en: 'Billing', es: 'Facturación' } },
      { value: 'shipping', label: { en: 'Shipping', es: 'Envíos' } },
    ]);
    expect(addOption(d, 9)).toBe(d);
  });

  it('offers the owner’s languages, else every language in use, the default first', () => {
    expect(draftLanguages(fromValue(survey()))).toEqual(['en', 'es']);
    expect(draftLanguages(fromValue(survey({ defaultLanguage: 'de', languages: ['fr', 'de'] })))).toEqual(['de', 'fr']);
    const d = updateField(fromValue(survey()), 1, { help: { ru: 'Помощь' } });
    expect(draftLanguages(d)).toEqual(['en', 'es', 'ru']);
  });

  it('finds the issues of a place without those of its neighbours', () => {
    const issues = [
      { path: 'prechat.fields[1].label.es', message: 'too long' },
      { path: 'prechat.fields[10].key', message: 'bad key' },
      { path: 'prechat.fields[1]', message: 'whole field' },
    ];
    expect(issuesUnder(issues, 'prechat.fields[1]').map((i) => i.message)).toEqual(['too long', 'whole field']);
    expect(issueAt(issues, 'prechat.fields[1].label.es')).toBe('too long');
    expect(issueAt(issues, 'prechat.fields[1].label')).toBeUndefined();
  });
});
