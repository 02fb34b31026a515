import type { JSX } from 'preact';
import { splitLinks } from '../lib/links';

/** Renders untrusted text as text nodes, with http(s) addresses as real links. */
export function LinkedText({ text }: { text: string }): JSX.Element {
  return (
    <>
      {splitLinks(text).map((part, i) =>
        part.kind === 'link' ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow ugc">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
