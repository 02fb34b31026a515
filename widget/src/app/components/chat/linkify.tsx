import type { ComponentChild } from 'preact';

// only what names its scheme: `www.example.com` or `example.com` stay text, as a guess could link the wrong place
const URL_RE = /(?:https?:\/\/|mailto:)[^\s<>"]+/gi;
// punctuation that ends a sentence more often than a URL
const TRAILING = /[.,;:!?)\]}'»]+$/;

/**
 * Splits text into strings and link elements for its http(s) URLs and mailto: addresses. Strings
 * render as text nodes, so nothing the author wrote is ever parsed as HTML.
 */
export function linkify(text: string): ComponentChild[] {
  const parts: ComponentChild[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    const url = match[0].replace(TRAILING, '');
    const start = match.index ?? 0;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(
      <a href={url} target="_blank" rel="noopener noreferrer nofollow">
        {url}
      </a>,
    );
    last = start + url.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}
