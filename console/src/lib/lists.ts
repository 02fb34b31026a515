/** The entries of a comma-separated list as typed in a form, trimmed, empty ones dropped: "es, de," → ["es", "de"]. */
export const splitList = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
