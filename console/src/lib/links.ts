/** One run of a message's text: plain text or a link to an http(s) address. */
export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// punctuation that usually closes the sentence rather than belonging to the address
const TRAILING = /[.,;:!?)\]}'"]+$/;

/**
 * Splits text into plain runs and http(s) links so that a view can build
 * `<a>` elements without ever handing text to innerHTML.
 */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    let url = match[0];
    const trailing = TRAILING.exec(url)?.[0] ?? '';
    // keep a closing parenthesis that has its opening partner inside the address
    const keepParen = trailing.startsWith(')') && url.includes('(');
    if (trailing && !keepParen) url = url.slice(0, -trailing.length);
    if (!isHttpUrl(url)) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** True for an absolute http: or https: address; guards every href built from stored data. */
export function isHttpUrl(value: string | null | undefined): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
