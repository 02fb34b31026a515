/**
 * A list of strings stored as a JSON array (labels, languages). Anything else,
 * malformed JSON included, reads as empty; non-string entries are dropped.
 */
export function parseJsonList(raw: string | null | undefined): string[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
