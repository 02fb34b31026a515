import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import type { Label } from '../../../../protocol/src/index';

/** Black or white text, whichever reads better on `hex` (WCAG relative luminance). */
export function textOn(hex: string): '#000000' | '#ffffff' {
  const channel = (i: number): number => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

/** Props of {@link LabelChips}. */
export interface LabelChipsProps {
  /** What the chips are on, for accessible names: "conversation" or "contact". */
  on: string;
  labels: readonly string[];
  catalogue: readonly Label[];
  /** Adds (or with `remove`, removes) labels; resolves with an error to show, or null. */
  onEdit(add: string[], remove: string[]): Promise<string | null>;
}

/** Labels as coloured chips with remove buttons, and an "Add label" picker from the catalogue. */
export function LabelChips({ on, labels, catalogue, onEdit }: LabelChipsProps): JSX.Element {
  const picking = useSignal(false);
  const error = useSignal<string | null>(null);
  const colour = (name: string) => catalogue.find((l) => l.name === name)?.color ?? '#6b7280';
  const free = catalogue.filter((l) => !labels.includes(l.name));

  async function edit(add: string[], remove: string[]): Promise<void> {
    error.value = await onEdit(add, remove);
    picking.value = false;
  }

  return (
    <div class="label-chips">
      <ul class="labels" aria-label={`Labels of the ${on}`}>
        {labels.map((name) => (
          <li key={name} class="label-chip" style={{ background: colour(name), color: textOn(colour(name)) }}>
            <bdi>{name}</bdi>
            <button type="button" class="chip-remove" aria-label={`Remove label ${name}`} title={`Remove ${name}`} onClick={() => void edit([], [name])}>
              ×
            </button>
          </li>
        ))}
        <li class="label-add">
          {picking.value ? (
            <select
              aria-label="Add label"
              autoFocus
              onChange={(e) => {
                const name = e.currentTarget.value;
                if (name) void edit([name], []);
              }}
              onBlur={() => (picking.value = false)}
            >
              <option value="">Choose a label…</option>
              {free.map((l) => (
                <option key={l.name} value={l.name}>
                  {l.name}
                </option>
              ))}
            </select>
          ) : (
            <button type="button" class="button quiet small" aria-label="Add label" disabled={free.length === 0} onClick={() => (picking.value = true)}>
              + Label
            </button>
          )}
        </li>
      </ul>
      {error.value && (
        <p class="field-error" role="alert">
          {error.value}
        </p>
      )}
    </div>
  );
}
