import { batch, signal, type ReadonlySignal } from '@preact/signals';
import type { AutoReplyScope, AutoReplySetting, FieldIssue } from '../../../protocol/src/index';
import { ApiError } from '../api';
import type { AutoReplyApi } from '../auto-reply-api';

/** The admins' screen of auto-replies and quick replies: what is in force, and saving edits. */
export interface AutoRepliesAdminModel {
  settings: ReadonlySignal<AutoReplySetting[]>;
  loading: ReadonlySignal<boolean>;
  /** The scope being saved or reset, if any. */
  saving: ReadonlySignal<AutoReplyScope | null>;
  /** The last error of a scope: one sentence plus the server's issues by path. */
  errors: ReadonlySignal<Partial<Record<AutoReplyScope, { message: string; issues: FieldIssue[] }>>>;
  /** A short confirmation after a save or reset. */
  notice: ReadonlySignal<string | null>;
  load(): Promise<void>;
  save(scope: AutoReplyScope, value: unknown): Promise<boolean>;
  reset(scope: AutoReplyScope): Promise<boolean>;
}

/** Builds the admin model over the REST client; `onSaved` runs after each change (to reload quick replies). */
export function createAutoRepliesAdminModel(api: AutoReplyApi, onSaved: () => void = () => {}): AutoRepliesAdminModel {
  const settings = signal<AutoReplySetting[]>([]);
  const loading = signal(false);
  const saving = signal<AutoReplyScope | null>(null);
  const errors = signal<Partial<Record<AutoReplyScope, { message: string; issues: FieldIssue[] }>>>({});
  const notice = signal<string | null>(null);

  const failed = (scope: AutoReplyScope, err: unknown) => {
    const e = err instanceof ApiError ? { message: err.message, issues: err.issues } : { message: 'Something went wrong. Please try again.', issues: [] };
    errors.value = { ...errors.value, [scope]: e };
  };

  async function change(scope: AutoReplyScope, run: () => Promise<AutoReplySetting>, done: string): Promise<boolean> {
    if (saving.value) return false;
    batch(() => {
      saving.value = scope;
      notice.value = null;
      errors.value = { ...errors.value, [scope]: undefined };
    });
    try {
      const setting = await run();
      settings.value = settings.value.map((s) => (s.scope === scope ? setting : s));
      notice.value = done;
      onSaved();
      return true;
    } catch (err) {
      failed(scope, err);
      return false;
    } finally {
      saving.value = null;
    }
  }

  return {
    settings,
    loading,
    saving,
    errors,
    notice,
    async load() {
      loading.value = true;
      try {
        settings.value = await api.settings();
      } catch (err) {
        failed('rules', err);
      } finally {
        loading.value = false;
      }
    },
    save(scope, value) {
      return change(scope, () => api.save(scope, value), 'Saved. It applies from the next message on.');
    },
    reset(scope) {
      return change(scope, () => api.reset(scope), 'Back to the config file’s version.');
    },
  };
}
