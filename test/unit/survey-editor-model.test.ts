import { describe, expect, it } from 'vitest';
import { ApiError } from '../../console/src/api';
import { PREVIEW_DELAY_MS, type Timer, createSurveyEditorModel } from '../../console/src/models/survey-editor';
import { updateField } from '../../console/src/models/survey-draft';
import type { SurveyApi, SurveyPreview, SurveySetting, SurveyValue } from '../../console/src/survey-api';
import type { PublicSiteConfig } from '../../protocol/src/index';
import type { SiteSurvey } from '../../server/src/services/site-settings';

// the editor's idea of a survey must hold whatever the server's schema lets through (checked by tsc)
const serverSurvey = null as unknown as SiteSurvey;
const asEditorSees: SurveyValue = serverSurvey;
void asEditorSees;

const value: SurveyValue = {
  defaultLanguage: 'en',
  texts: { title: { en: 'Support', es: 'Soporte' } },
  theme: { primary: '#1d4ed8', onPrimary: '#ffffff', position: 'right', offsetX: 20, offsetY: 20, launcher: 'icon', mode: 'light' },
  prechat: { fields: [{ key: 'name', type: 'text', label: { en: 'Name', es: 'Nombre' }, required: true }], consent: null },
};

/** The second site's survey: another field, so a mix-up between the sites shows. */
const otherValue: SurveyValue = {
  ...value,
  prechat: { fields: [{ key: 'company', type: 'text', label: { en: 'Company' }, required: false }], consent: null },
};

const setting = (over: Partial<SurveySetting> = {}): SurveySetting => ({
  siteId: 'demo',
  name: 'Demo',
  source: 'file',
  value,
  file: value,
  updatedAt: null,
  updatedBy: null,
  warnings: [],
  ...over,
});

const config = (startButton: string): PublicSiteConfig => ({ texts: { startButton } }) as PublicSiteConfig;

/** Resolves or rejects each call by hand, in any order. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function fakeApi() {
  const previews: { value: unknown; lang: string; answer: ReturnType<typeof deferred<SurveyPreview>> }[] = [];
  const saves: { id: string; value: unknown; expected: string | null; answer: ReturnType<typeof deferred<SurveySetting>> }[] = [];
  const api: SurveyApi = {
    sites: async () => [
      { id: 'demo', name: 'Demo', source: 'file' },
      { id: 'other', name: 'Other', source: 'database' },
    ],
    survey: async (id) => (id === 'other' ? setting({ siteId: 'other', name: 'Other', source: 'database', value: otherValue, updatedAt: '2025-04-01T08:00:00.000Z' }) : setting()),
    save: (id, v, expected) => {
      const answer = deferred<SurveySetting>();
      saves.push({ id, value: v, expected, answer });
      return answer.promise;
    },
    reset: async () => setting(),
    preview: (_id, v, lang) => {
      const answer = deferred<SurveyPreview>();
      previews.push({ value: v, lang, answer });
      return answer.promise;
    },
  };
  return { api, previews, saves };
}

/** A timer the test fires by hand. */
function manualTimer() {
  const timers = new Map<number, { run: () => void; ms: number }>();
  let n = 0;
  const timer: Timer = {
    set: (run, ms) => {
      timers.set(++n, { run, ms });
      return n;
    },
    clear: (handle) => timers.delete(handle as number),
  };
  return {
    timer,
    timers,
    fire() {
      const all = [...timers.values()];
      timers.clear();
      for (const t of all) t.run();
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

async function loaded() {
  const { api, previews, saves } = fakeApi();
  const clock = manualTimer();
  const model = createSurveyEditorModel(api, clock.timer);
  await model.load();
  previews[0]?.answer.resolve({ config: config('Start chat'), warnings: [] });
  await flush();
  return { model, previews, saves, clock };
}

describe('the survey editor model', () => {
  it('opens the first site and previews it in the site’s default language', async () => {
    const { model, previews } = await loaded();
    expect(model.siteId.value).toBe('demo');
    expect(model.draft.value?.fields.map((f) => f.key)).toEqual(['name']);
    expect(previews).toHaveLength(1);
    expect(previews[0]?.lang).toBe('en');
    expect(model.preview.value?.texts.startButton).toBe('Start chat');
    expect(model.dirty.value).toBe(false);
    expect(model.previewStale.value).toBe(false);
  });

  it('asks for one preview after a burst of edits, not one per keystroke', async () => {
    const { model, previews, clock } = await loaded();
    for (const label of ['N', 'Na', 'Nam', 'Name!']) model.edit((d) => updateField(d, 0, { label: { en: label } }));
    expect(model.dirty.value).toBe(true);
    expect(model.previewStale.value).toBe(true);
    expect(previews).toHaveLength(1);
    expect(clock.timers.size).toBe(1);
    expect([...clock.timers.values()][0]?.ms).toBe(PREVIEW_DELAY_MS);
    clock.fire();
    expect(previews).toHaveLength(2);
    expect((previews[1]?.value as SurveyValue).prechat.fields[0]?.label).toEqual({ en: 'Name!' });
  });

  it('drops a preview answer that arrives after a newer one was asked for', async () => {
    const { model, previews, clock } = await loaded();
    model.edit((d) => updateField(d, 0, { key: 'first' }));
    clock.fire();
    model.setPreviewLanguage('es');
    expect(previews[2]?.lang).toBe('es');
    previews[2]?.answer.resolve({ config: config('Iniciar chat'), warnings: [] });
    await flush();
    previews[1]?.answer.resolve({ config: config('Late and wrong'), warnings: [] });
    await flush();
    expect(model.preview.value?.texts.startButton).toBe('Iniciar chat');
    expect(model.previewLanguage.value).toBe('es');
  });

  it('shows the server’s issues with a draft and keeps the last good preview', async () => {
    const { model, previews, clock } = await loaded();
    model.edit((d) => updateField(d, 0, { key: 'bad key' }));
    clock.fire();
    previews[1]?.answer.reject(new ApiError(422, 'prechat.fields[0].key: expected a key', 'invalid_payload', [{ path: 'prechat.fields[0].key', message: 'expected a key' }]));
    await flush();
    expect(model.issues.value).toEqual([{ path: 'prechat.fields[0].key', message: 'expected a key' }]);
    expect(model.preview.value?.texts.startButton).toBe('Start chat');
    expect(model.previewStale.value).toBe(true);
    expect(model.error.value).toBeNull();

    // fixed: the issues go with the next good answer
    model.edit((d) => updateField(d, 0, { key: 'good' }));
    clock.fire();
    previews[2]?.answer.resolve({ config: config('Start chat'), warnings: ['theme.primary: low contrast'] });
    await flush();
    expect(model.issues.value).toEqual([]);
    expect(model.warnings.value).toEqual(['theme.primary: low contrast']);
  });

  it('saves the draft as the config writes it, and is clean afterwards', async () => {
    const { model, saves } = await loaded();
    model.edit((d) => updateField(d, 0, { label: { en: 'Full name', es: 'Nombre completo' } }));
    const done = model.save();
    expect(model.saving.value).toBe(true);
    expect((saves[0]?.value as SurveyValue).prechat.fields[0]?.label).toEqual({ en: 'Full name', es: 'Nombre completo' });
    const savedValue = saves[0]?.value as SurveyValue;
    saves[0]?.answer.resolve(setting({ source: 'database', value: savedValue, updatedAt: '2025-05-01T10:00:00Z', updatedBy: 'a1' }));
    expect(await done).toBe(true);
    expect(model.dirty.value).toBe(false);
    expect(model.setting.value?.source).toBe('database');
    expect(model.sites.value.find((s) => s.id === 'demo')?.source).toBe('database');
    expect(model.notice.value).toMatch(/^Saved/);
  });

  it('keeps the draft and names the problems when a save is refused', async () => {
    const { model, saves } = await loaded();
    model.edit((d) => updateField(d, 0, { type: 'select' }));
    const done = model.save();
    // a second click while saving does nothing
    expect(await model.save()).toBe(false);
    saves[0]?.answer.reject(new ApiError(422, 'x', 'invalid_payload', [{ path: 'prechat.fields[0].options', message: 'a select or radio field needs at least one option' }]));
    expect(await done).toBe(false);
    expect(saves).toHaveLength(1);
    expect(model.draft.value?.fields[0]?.type).toBe('select');
    expect(model.dirty.value).toBe(true);
    expect(model.issues.value.map((i) => i.path)).toEqual(['prechat.fields[0].options']);
    expect(model.error.value).toMatch(/Not saved/);
  });

  it('says so in one sentence when the server cannot be reached', async () => {
    const { model, saves } = await loaded();
    model.edit((d) => updateField(d, 0, { required: false }));
    const done = model.save();
    saves[0]?.answer.reject(new ApiError(0, 'Cannot reach the server. Check your connection and try again.', 'network_error'));
    expect(await done).toBe(false);
    expect(model.error.value).toBe('Cannot reach the server. Check your connection and try again.');
    expect(model.issues.value).toEqual([]);
  });

  it('goes back to the file’s survey on reset, and stops its timer when the screen closes', async () => {
    const { model, clock } = await loaded();
    model.edit((d) => updateField(d, 0, { key: 'changed' }));
    expect(await model.reset()).toBe(true);
    expect(model.draft.value?.fields[0]?.key).toBe('name');
    expect(model.dirty.value).toBe(false);
    model.edit((d) => updateField(d, 0, { key: 'again' }));
    model.dispose();
    expect(clock.timers.size).toBe(0);
  });

  it('keeps a save’s answer for site A out of site B when the admin switched sites while it was on its way', async () => {
    const { model, saves, previews } = await loaded();
    model.edit((d) => updateField(d, 0, { label: { en: 'Site A only' } }));
    const done = model.save();
    expect(saves[0]?.id).toBe('demo');
    await model.choose('other');
    expect(model.draft.value?.fields.map((f) => f.key)).toEqual(['company']);
    const asked = previews.length;

    saves[0]?.answer.resolve(setting({ source: 'database', value: saves[0].value as SurveyValue, updatedAt: '2025-05-01T10:00:00.000Z', updatedBy: 'a1' }));
    expect(await done).toBe(true);
    // site B's draft, stamp and preview are untouched; no "Saved" notice lands on it
    expect(model.siteId.value).toBe('other');
    expect(model.draft.value?.fields.map((f) => f.key)).toEqual(['company']);
    expect(model.setting.value?.siteId).toBe('other');
    expect(model.setting.value?.updatedAt).toBe('2025-04-01T08:00:00.000Z');
    expect(model.dirty.value).toBe(false);
    expect(model.notice.value).toBeNull();
    expect(previews).toHaveLength(asked);
    // the list still learns that site A is now saved in the database
    expect(model.sites.value.find((s) => s.id === 'demo')?.source).toBe('database');

    // saving B now saves B's own survey, with B's stamp
    model.edit((d) => updateField(d, 0, { required: true }));
    void model.save();
    expect(saves[1]?.id).toBe('other');
    expect((saves[1]?.value as SurveyValue).prechat.fields.map((f) => f.key)).toEqual(['company']);
    expect(saves[1]?.expected).toBe('2025-04-01T08:00:00.000Z');
  });

  it('drops a refused save’s problems when the admin switched sites meanwhile', async () => {
    const { model, saves } = await loaded();
    model.edit((d) => updateField(d, 0, { type: 'select' }));
    const done = model.save();
    await model.choose('other');
    saves[0]?.answer.reject(new ApiError(422, 'x', 'invalid_payload', [{ path: 'prechat.fields[0].options', message: 'needs an option' }]));
    expect(await done).toBe(false);
    expect(model.issues.value).toEqual([]);
    expect(model.error.value).toBeNull();
    expect(model.saving.value).toBe(false);
  });

  it('sends the stamp the draft was loaded with (null for the file’s), and shows the server’s words on a conflict', async () => {
    const { model, saves } = await loaded();
    model.edit((d) => updateField(d, 0, { required: false }));
    const first = model.save();
    expect(saves[0]?.expected).toBeNull();
    saves[0]?.answer.resolve(setting({ source: 'database', value: saves[0].value as SurveyValue, updatedAt: '2025-05-01T10:00:00.000Z', updatedBy: 'a1' }));
    await first;

    model.edit((d) => updateField(d, 0, { label: { en: 'Mine' } }));
    const second = model.save();
    expect(saves[1]?.expected).toBe('2025-05-01T10:00:00.000Z');
    const words = 'Another admin saved this site’s survey after you opened it, so yours was not saved.';
    saves[1]?.answer.reject(new ApiError(409, words, 'conflict'));
    expect(await second).toBe(false);
    expect(model.error.value).toBe(words);
    expect(model.draft.value?.fields[0]?.label).toEqual({ en: 'Mine' });
    expect(model.dirty.value).toBe(true);
  });
});
