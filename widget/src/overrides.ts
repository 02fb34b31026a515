import { Limits } from '../../protocol/src/limits';
import type { PublicField, PublicSiteConfig } from '../../protocol/src/survey';
import type { WidgetLooks } from '../../sdk/src/widget';

/**
 * What one page may change about the widget's presentation, read from the script tag's data-*
 * attributes and from `ChatWidget.init({...})`, flat and by the attributes' names (`data-on-primary`
 * is `onPrimary`, `data-value-order-id` is `valueOrderId`). Only what ALLOWED lets through is kept,
 * so an override can restyle and reword the widget and prefill answers but never reshape the survey:
 * there is no key for fields, `required` or the consent box, and anything else is dropped unreported.
 */
export interface Overrides {
  /** Language tag(s) to ask the server for instead of the browser's. */
  locale?: string;
  position?: 'left' | 'right';
  /** CSS pixels, 0 to 200. */
  offsetX?: string;
  offsetY?: string;
  launcher?: 'icon' | 'text';
  mode?: 'light' | 'dark' | 'auto';
  primary?: string;
  onPrimary?: string;
  title?: string;
  greeting?: string;
  launcherText?: string;
  startButton?: string;
  placeholder?: string;
  /** `value<FieldKey>`: a prefilled answer or a hidden field's value (field keys match whatever their case). */
  [value: `value${string}`]: string;
}

/** The object a page passes to `ChatWidget.init`: the npm package's public type (every key optional and checked here). */
export type InitOptions = WidgetLooks;

/**
 * Every `key=value` a page may set. Colours are #rrggbb, offsets 0 to 200 (pixels), texts and values
 * have something besides spaces and at most 1,000 characters (protocol's `Limits.answerText`), value
 * keys are field keys (a letter, then up to 39 letters, digits or _).
 */
const ALLOWED =
  /^(locale=[a-zA-Z]{2,3}(-\w{2,8}){0,3}|position=(left|right)|offset[XY]=(1?\d?\d|200)|launcher=(icon|text)|mode=(light|dark|auto)|(primary|onPrimary)=#[0-9a-fA-F]{6}|(title|greeting|launcherText|startButton|placeholder|value[a-zA-Z]\w{0,39})=(?=[^]*\S)[^]{1,1000})$/;

/** A copy of the overrides with the entries that ALLOWED lets through (keys prefixed); numbers count as their text. */
function add(base: Overrides, input: object, prefix = ''): Overrides {
  const o: Record<string, string> = { ...base };
  for (const [name, value] of Object.entries(input)) {
    const key = prefix + name;
    if ((typeof value === 'string' || typeof value === 'number') && ALLOWED.test(`${key}=${value}`)) o[key] = `${value}`;
  }
  return o;
}

/**
 * Reads the script tag's attributes: data-locale, data-position, data-primary, data-on-primary,
 * data-offset-x, data-offset-y, data-launcher, data-mode, data-title, data-greeting,
 * data-launcher-text, data-start-button, data-placeholder and data-value-<field-key>.
 */
export const fromDataset = (base: Overrides, data: DOMStringMap): Overrides => add(base, data);

/** Reads one `ChatWidget.init(options)` call; a later call wins over an earlier one and over the attributes. */
export function fromInit(base: Overrides, options: unknown): Overrides {
  const o = Object(options) as Record<string, unknown>;
  const texts = Object(o.texts) as Record<string, unknown>;
  // `launcher` is the launcher's kind at the top level and its text under `texts`
  return add(add(base, { ...Object(o.colors), ...texts, ...o, launcherText: texts.launcher }), Object(o.values), 'value');
}

/** The site's config as this page shows it: the server's texts and looks with the page's overrides on top. */
export const withOverrides = (config: PublicSiteConfig, o: Overrides): PublicSiteConfig => ({
  ...config,
  // extra keys on either side are never read
  texts: { ...config.texts, ...o, launcher: o.launcherText ?? config.texts.launcher },
  theme: { ...config.theme, ...(o as Partial<PublicSiteConfig['theme']>) },
});

/** The facts of the embedding page a hidden field may read. */
export interface PageFacts {
  url: string;
  path: string;
  title: string;
  referrer: string;
  /** The query string, `?a=1&b=2` or empty. */
  search: string;
}

/** This page's facts, read when the survey is shown and submitted (a single-page app may have moved on since loading). */
export const pageFacts = (): PageFacts => ({
  url: location.href,
  path: location.pathname,
  title: document.title,
  referrer: document.referrer,
  search: location.search,
});

/**
 * A field's starting value. The page's own value (JS API or `data-value-<key>`) comes first, then,
 * for a hidden field, the URL parameter and the page fact its source names, then the owner's default.
 * Checkboxes take only the owner's default: a page must not tick a box for the visitor.
 */
export function initialValue(field: PublicField, o: Overrides, page: PageFacts): string | boolean | undefined {
  const { type, source } = field;
  const key = `value${field.key}`.toLowerCase();
  const own = Object.entries(o).find(([k]) => k.toLowerCase() === key)?.[1];
  if (type === 'checkbox') return field.default;
  // what the page gives (a URL, a title) is cut to the field's longest answer: the visitor cannot shorten a hidden value
  // (the default of any field but a checkbox is text)
  return (
    own ?? ((source?.param && new URLSearchParams(page.search).get(source.param)) || (source?.page && page[source.page]) || (field.default as string | undefined))
  )?.slice(0, field.maxLength ?? Limits.answerText);
}
