import { useSignal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Label } from '../../../../protocol/src/index';
import type { ConsoleModel } from '../../models/console';
import { createLabelsAdminModel } from '../../models/labels-admin';
import { textOn } from '../labels/LabelChips';
import { AdminPage } from './AdminPage';

/** Admins keep the label catalogue that agents and keyword rules pick from. */
export function LabelsScreen({ model }: { model: ConsoleModel }): JSX.Element {
  const admin = useMemo(() => createLabelsAdminModel(), []);
  useEffect(() => void admin.load(), [admin]);
  return (
    <AdminPage model={model} title="Labels" adminsOnly="Only admins may edit labels.">
      <p class="muted">Agents add these to conversations and contacts; keyword rules can add them too. Removing a label from this list leaves it on what already carries it.</p>
      <p class="visually-hidden" role="status">
        {admin.status.value}
      </p>
      {admin.error.value && (
        <p class="form-alert" role="alert">
          {admin.error.value.message}
        </p>
      )}
      {admin.loading.value ? (
        <p role="status">Loading labels…</p>
      ) : (
        <ul class="label-admin-list" aria-label="Labels">
          {admin.labels.value.map((l) => (
            <LabelRow key={l.name} label={l} onSave={(x) => admin.update(x)} onRemove={() => admin.remove(l.name)} />
          ))}
        </ul>
      )}
      <NewLabel onCreate={(l) => admin.create(l)} />
    </AdminPage>
  );
}

function LabelRow({ label, onSave, onRemove }: { label: Label; onSave(l: Label): Promise<boolean>; onRemove(): Promise<boolean> }): JSX.Element {
  const color = useSignal(label.color);
  const description = useSignal(label.description ?? '');
  const changed = color.value !== label.color || description.value !== (label.description ?? '');
  return (
    <li class="label-admin-row">
      <span class="label-chip" style={{ background: color.value, color: textOn(color.value) }}>
        <bdi>{label.name}</bdi>
      </span>
      <input type="color" aria-label={`Colour of ${label.name}`} value={color.value} onInput={(e) => (color.value = e.currentTarget.value)} />
      <input aria-label={`Description of ${label.name}`} maxLength={200} value={description.value} onInput={(e) => (description.value = e.currentTarget.value)} />
      <button type="button" class="button small" disabled={!changed} onClick={() => void onSave({ name: label.name, color: color.value, description: description.value || null })}>
        Save
      </button>
      <button
        type="button"
        class="button small"
        aria-label={`Remove ${label.name}`}
        onClick={() => {
          if (window.confirm(`Remove the label “${label.name}” from the list?`)) void onRemove();
        }}
      >
        Remove
      </button>
    </li>
  );
}

function NewLabel({ onCreate }: { onCreate(l: Label): Promise<boolean> }): JSX.Element {
  const name = useSignal('');
  const color = useSignal('#0969da');
  const description = useSignal('');
  return (
    <form
      class="label-admin-new"
      aria-label="New label"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await onCreate({ name: name.value, color: color.value, description: description.value || null })) {
          name.value = '';
          description.value = '';
        }
      }}
    >
      <h2>New label</h2>
      <label>
        Name
        <input required maxLength={40} value={name.value} onInput={(e) => (name.value = e.currentTarget.value)} />
      </label>
      <label>
        Colour
        <input type="color" value={color.value} onInput={(e) => (color.value = e.currentTarget.value)} />
      </label>
      <label>
        Description
        <input maxLength={200} value={description.value} onInput={(e) => (description.value = e.currentTarget.value)} />
      </label>
      <button type="submit" class="button primary">
        Add label
      </button>
    </form>
  );
}
