import { signal, type ReadonlySignal } from '@preact/signals';
import type { Label } from '../../../protocol/src/index';
import { ApiError, request } from '../api';

/** The admins' label catalogue screen: list, add, recolour, remove (REST /api/v1/labels). */
export interface LabelsAdminModel {
  labels: ReadonlySignal<Label[]>;
  loading: ReadonlySignal<boolean>;
  /** The last failure, as a sentence, with the field it concerns when the server named one. */
  error: ReadonlySignal<{ message: string; field: string | null } | null>;
  status: ReadonlySignal<string>;
  load(): Promise<void>;
  create(label: Label): Promise<boolean>;
  update(label: Label): Promise<boolean>;
  remove(name: string): Promise<boolean>;
}

/** Builds the model over the REST API at `base`. */
export function createLabelsAdminModel(base = '/api/v1'): LabelsAdminModel {
  const labels = signal<Label[]>([]);
  const loading = signal(true);
  const error = signal<{ message: string; field: string | null } | null>(null);
  const status = signal('');

  async function run(work: () => Promise<unknown>, done: string): Promise<boolean> {
    error.value = null;
    try {
      await work();
      status.value = done;
      await load();
      return true;
    } catch (e) {
      const issue = e instanceof ApiError ? e.issues[0] : undefined;
      error.value = { message: issue?.message ?? (e instanceof Error ? e.message : 'Not saved.'), field: issue?.path ?? null };
      return false;
    }
  }

  async function load(): Promise<void> {
    try {
      labels.value = (await request<{ labels: Label[] }>(base, 'GET', '/labels')).labels;
    } catch (e) {
      error.value = { message: e instanceof Error ? e.message : 'Could not load the labels.', field: null };
    } finally {
      loading.value = false;
    }
  }

  const path = (name: string) => `/labels/${encodeURIComponent(name)}`;
  return {
    labels,
    loading,
    error,
    status,
    load,
    create: (label) => run(() => request(base, 'POST', '/labels', label), `Added ${label.name}`),
    update: (label) => run(() => request(base, 'PUT', path(label.name), { color: label.color, description: label.description }), `Saved ${label.name}`),
    remove: (name) => run(() => request(base, 'DELETE', path(name)), `Removed ${name}`),
  };
}
