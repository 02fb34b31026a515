import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { FieldIssue, PublicSiteConfig } from '../../../protocol/src/index';
import { ApiError } from '../api';
import type { SiteSummary, SurveyApi, SurveySetting } from '../survey-api';
import { type SurveyDraft, fromValue, toValue } from './survey-draft';

/** How long the editor waits after the last change before asking for a preview. */
export const PREVIEW_DELAY_MS = 350;

/** The timer the model schedules previews with; tests pass one they drive by hand. */
export interface Timer {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const browserTimer: Timer = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The admins' survey editor: the site chosen, its draft, the server's verdict on it, and the live preview. */
export interface SurveyEditorModel {
  sites: ReadonlySignal<SiteSummary[]>;
  siteId: ReadonlySignal<string | null>;
  /** The survey as the server holds it (in force, the file's, who saved it). */
  setting: ReadonlySignal<SurveySetting | null>;
  draft: ReadonlySignal<SurveyDraft | null>;
  /** True when the draft differs from what is saved. */
  dirty: ReadonlySignal<boolean>;
  loading: ReadonlySignal<boolean>;
  saving: ReadonlySignal<boolean>;
  /** The server's issues with the draft (from the last preview or save), by path in the written value. */
  issues: ReadonlySignal<FieldIssue[]>;
  /** Colour pairs of the draft below WCAG AA; they do not block a save. */
  warnings: ReadonlySignal<string[]>;
  /** One sentence when something failed (a save, a load, the connection). */
  error: ReadonlySignal<string | null>;
  /** A short confirmation after a save or a reset. */
  notice: ReadonlySignal<string | null>;
  /** What the widget would show for the last draft the server accepted. */
  preview: ReadonlySignal<PublicSiteConfig | null>;
  /** True while the preview shows an older draft than the one being edited (a newer one has issues or is on its way). */
  previewStale: ReadonlySignal<boolean>;
  previewLanguage: ReadonlySignal<string>;
  load(): Promise<void>;
  choose(siteId: string): Promise<void>;
  /** Changes the draft; the preview follows shortly after the last change. */
  edit(change: (draft: SurveyDraft) => SurveyDraft): void;
  setPreviewLanguage(lang: string): void;
  save(): Promise<boolean>;
  /** Drops the saved edit: the config file's survey applies again. */
  reset(): Promise<boolean>;
  /** Stops a scheduled preview (leaving the screen). */
  dispose(): void;
}

const messageOf = (err: unknown): string => (err instanceof ApiError ? err.message : 'Something went wrong. Please try again.');

/** Builds the editor's model over the REST client. */
export function createSurveyEditorModel(api: SurveyApi, timer: Timer = browserTimer): SurveyEditorModel {
  const sites = signal<SiteSummary[]>([]);
  const siteId = signal<string | null>(null);
  const setting = signal<SurveySetting | null>(null);
  const draft = signal<SurveyDraft | null>(null);
  const saved = signal('');
  const loading = signal(false);
  const saving = signal(false);
  const issues = signal<FieldIssue[]>([]);
  const warnings = signal<string[]>([]);
  const error = signal<string | null>(null);
  const notice = signal<string | null>(null);
  const preview = signal<PublicSiteConfig | null>(null);
  const previewStale = signal(false);
  const previewLanguage = signal('');
  const dirty = computed(() => draft.value !== null && JSON.stringify(toValue(draft.value)) !== saved.value);

  let pending: unknown = null;
  // answers to older requests than the latest are dropped: the draft moved on
  let asked = 0;

  async function runPreview(): Promise<void> {
    if (pending !== null) timer.clear(pending);
    pending = null;
    const id = siteId.value;
    const d = draft.value;
    if (!id || !d) return;
    const n = ++asked;
    try {
      const answer = await api.preview(id, toValue(d), previewLanguage.value || d.defaultLanguage);
      if (n !== asked) return;
      batch(() => {
        preview.value = answer.config;
        warnings.value = answer.warnings;
        issues.value = [];
        previewStale.value = false;
      });
    } catch (err) {
      if (n !== asked) return;
      batch(() => {
        issues.value = err instanceof ApiError ? err.issues : [];
        if (!(err instanceof ApiError) || err.issues.length === 0) error.value = messageOf(err);
        previewStale.value = true;
      });
    }
  }

  function schedule(): void {
    if (pending !== null) timer.clear(pending);
    previewStale.value = true;
    pending = timer.set(() => void runPreview(), PREVIEW_DELAY_MS);
  }

  function show(s: SurveySetting): void {
    batch(() => {
      setting.value = s;
      draft.value = fromValue(s.value);
      saved.value = JSON.stringify(toValue(draft.value));
      warnings.value = s.warnings;
      issues.value = [];
      if (!previewLanguage.value) previewLanguage.value = s.value.defaultLanguage;
    });
    void runPreview();
  }

  async function choose(id: string): Promise<void> {
    batch(() => {
      siteId.value = id;
      setting.value = null;
      draft.value = null;
      preview.value = null;
      previewLanguage.value = '';
      error.value = null;
      notice.value = null;
      loading.value = true;
    });
    try {
      const s = await api.survey(id);
      if (siteId.value === id) show(s);
    } catch (err) {
      if (siteId.value === id) error.value = messageOf(err);
    } finally {
      if (siteId.value === id) loading.value = false;
    }
  }

  /** Runs a save or a reset of the site shown; its answer lands only if the admin is still on that site. */
  async function change(run: (id: string) => Promise<SurveySetting>, done: string): Promise<boolean> {
    const id = siteId.value;
    if (!id || saving.value) return false;
    batch(() => {
      saving.value = true;
      error.value = null;
      notice.value = null;
    });
    try {
      const s = await run(id);
      sites.value = sites.value.map((site) => (site.id === id ? { ...site, source: s.source } : site));
      // another site chosen meanwhile: this answer must not become that site's draft (and be saved to it)
      if (siteId.value !== id) return true;
      show(s);
      notice.value = done;
      return true;
    } catch (err) {
      if (siteId.value !== id) return false;
      batch(() => {
        issues.value = err instanceof ApiError ? err.issues : [];
        error.value = err instanceof ApiError && err.issues.length > 0 ? 'Not saved. Fix the problems marked below and save again.' : messageOf(err);
      });
      return false;
    } finally {
      saving.value = false;
    }
  }

  return {
    sites,
    siteId,
    setting,
    draft,
    dirty,
    loading,
    saving,
    issues,
    warnings,
    error,
    notice,
    preview,
    previewStale,
    previewLanguage,
    async load() {
      loading.value = true;
      error.value = null;
      try {
        sites.value = await api.sites();
      } catch (err) {
        error.value = messageOf(err);
        return;
      } finally {
        loading.value = false;
      }
      const first = sites.value.find((s) => s.id === siteId.value) ?? sites.value[0];
      if (first) await choose(first.id);
    },
    choose,
    edit(fn) {
      const d = draft.value;
      if (!d) return;
      batch(() => {
        draft.value = fn(d);
        notice.value = null;
      });
      schedule();
    },
    setPreviewLanguage(lang) {
      previewLanguage.value = lang;
      void runPreview();
    },
    save() {
      const d = draft.value;
      // the stamp the draft was loaded with: the server refuses the save if someone saved since
      const loadedAt = setting.value?.updatedAt ?? null;
      return change((id) => api.save(id, toValue(d as SurveyDraft), loadedAt), 'Saved. Visitors see it the next time the widget loads.');
    },
    reset() {
      return change((id) => api.reset(id), 'Back to the config file’s survey.');
    },
    dispose() {
      if (pending !== null) timer.clear(pending);
      pending = null;
    },
  };
}
