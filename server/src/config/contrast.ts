import type { Config } from './schema';

/**
 * WCAG 2.x contrast of the owner's colours. The widget draws the header, the
 * launcher, the start button and the visitor's own bubbles as `onPrimary` text on
 * `primary`, and links and focus rings in `primary` on the panel, so both pairs
 * must reach AA for normal text (4.5:1). A failing pair is a warning, not an
 * error: the owner may have reasons, but should know.
 */

/** AA for normal-size text. */
export const AA_TEXT = 4.5;

/** The panel's background in light mode, and in dark mode (widget/src/app/styles.ts). */
const LIGHT_PANEL = '#ffffff';
const DARK_PANEL = '#111827';

function channel(hex: string, at: number): number {
  const c = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
}

/** The contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export interface ThemeColours {
  primary: string;
  onPrimary: string;
  mode?: 'light' | 'dark' | 'auto';
}

const ratio = (r: number): string => `${(Math.floor(r * 100) / 100).toFixed(2)}:1`;

/** One sentence per colour pair of this theme that fails WCAG AA, each starting with the path it names. */
export function contrastWarnings(theme: ThemeColours, path = 'theme'): string[] {
  const warnings: string[] = [];
  const text = contrastRatio(theme.primary, theme.onPrimary);
  if (text < AA_TEXT) {
    warnings.push(
      `${path}.onPrimary: ${theme.onPrimary} on ${theme.primary} has a contrast of ${ratio(text)}, below WCAG AA's ${AA_TEXT}:1 for the header, launcher and buttons`,
    );
  }
  const panels = theme.mode === 'dark' ? [DARK_PANEL] : theme.mode === 'auto' ? [LIGHT_PANEL, DARK_PANEL] : [LIGHT_PANEL];
  for (const panel of panels) {
    const link = contrastRatio(theme.primary, panel);
    if (link < AA_TEXT) {
      warnings.push(
        `${path}.primary: ${theme.primary} on the ${panel === DARK_PANEL ? 'dark' : 'light'} panel (${panel}) has a contrast of ${ratio(link)}, below WCAG AA's ${AA_TEXT}:1 for links`,
      );
    }
  }
  return warnings;
}

/** Every site's contrast warnings, by path from the config's root. */
export function configContrastWarnings(config: Config): string[] {
  return Object.entries(config.sites).flatMap(([id, site]) => contrastWarnings(site.theme, `sites.${id}.theme`));
}
