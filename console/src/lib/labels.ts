import { signal } from '@preact/signals';
import type { PublicField, PublicSiteConfig } from '../../../protocol/src/index';
import { humanize } from '../components/names';

/**
 * Labels of survey answers for agents: the inquiry type `shipping` reads
 * "Shipping", as the site's survey field offers it. The source is the site's
 * public widget config (`GET /api/v1/sites/:siteId/config?lang=en`), which
 * every agent may read and which always holds the current options, including
 * ones an admin edited in the survey editor.
 */

/** The label of an answer among `fields`, or null when the field or option is unknown. */
export function findOptionLabel(fields: readonly PublicField[] | undefined, key: string, value: string): string | null {
  const field = fields?.find((f) => f.key === key);
  return field?.options?.find((o) => o.value === value)?.label ?? null;
}

/** Fetches a site's fields; replaceable in tests. */
export type FieldsLoader = (siteId: string) => Promise<PublicField[]>;

const fetchFields: FieldsLoader = async (siteId) => {
  const res = await fetch(`/api/v1/sites/${encodeURIComponent(siteId)}/config?lang=en`, { credentials: 'omit' });
  if (!res.ok) throw new Error(`config of ${siteId}: ${res.status}`);
  return ((await res.json()) as PublicSiteConfig).prechat.fields;
};

/** A cache of every site's fields, loaded once per site on first use. */
export interface OptionLabels {
  /**
   * The label of an answer: the option's label once the site's fields are
   * loaded, a readable form of the stored value until then (or when the
   * option no longer exists). Reading it inside a component re-renders that
   * component when the labels arrive.
   */
  label(siteId: string, key: string, value: string): string;
}

/** Builds a cache over `load`. */
export function createOptionLabels(load: FieldsLoader = fetchFields): OptionLabels {
  const sites = signal<ReadonlyMap<string, readonly PublicField[]>>(new Map());
  const asked = new Set<string>();

  function ensure(siteId: string): void {
    if (asked.has(siteId)) return;
    asked.add(siteId);
    load(siteId).then(
      (fields) => {
        const next = new Map(sites.peek());
        next.set(siteId, fields);
        sites.value = next;
      },
      () => {
        // an unknown or failing site keeps the readable fallback; ask again later
        setTimeout(() => asked.delete(siteId), 30_000);
      },
    );
  }

  return {
    label(siteId, key, value) {
      const fields = sites.value.get(siteId);
      if (!fields) ensure(siteId);
      return findOptionLabel(fields, key, value) ?? humanize(value);
    },
  };
}

/** The console's one cache. */
export const optionLabels: OptionLabels = createOptionLabels();

/** The label of a conversation's inquiry type, e.g. "Shipping" for `shipping`. */
export function inquiryTypeLabel(siteId: string, value: string): string {
  return optionLabels.label(siteId, 'inquiryType', value);
}

/** A site as a picker shows it: its name, with its id only when the name does not already say it ("Northwind Tea (demo)", not "… (demo) (demo)"). */
export function siteLabel(site: { id: string; name: string }): string {
  const name = site.name.trim();
  if (!name || name === site.id) return site.id;
  return name.toLowerCase().includes(`(${site.id.toLowerCase()})`) ? name : `${name} (${site.id})`;
}
