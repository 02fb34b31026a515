import type { AuthorType, Contact } from '../../../protocol/src/index';

/** The name to show for a contact, falling back to the email, then a neutral label. */
export function contactName(contact: Contact): string {
  return contact.name?.trim() || contact.email || 'Anonymous visitor';
}

/** Initials for an avatar, at most two letters. */
export function initials(name: string): string {
  const words = name.replace(/@.*/, '').split(/[\s._-]+/).filter(Boolean);
  return ((words[0]?.[0] ?? '?') + (words[1]?.[0] ?? '')).toUpperCase();
}

/** Who wrote a message, when the message has no author name. */
export function fallbackAuthor(type: AuthorType): string {
  return type === 'visitor' ? 'Visitor' : type === 'bot' ? 'Bot' : type === 'agent' ? 'Agent' : 'System';
}

/** A readable form of an inquiry-type value such as `billing_question`. */
export function humanize(value: string): string {
  const text = value.replace(/[_-]+/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Direction controls a visitor could use to make text read differently than it is (e.g. `gnp.exe` as `exe.png`). */
const BIDI_CONTROLS: Record<string, string> = {
  '\u202A': 'LRE',
  '\u202B': 'RLE',
  '\u202C': 'PDF',
  '\u202D': 'LRO',
  '\u202E': 'RLO',
  '\u2066': 'LRI',
  '\u2067': 'RLI',
  '\u2068': 'FSI',
  '\u2069': 'PDI',
  '\u200E': 'LRM',
  '\u200F': 'RLM',
  '\u061C': 'ALM',
};

/**
 * Visitor-chosen text made safe to show: every direction control becomes a
 * visible marker such as ⟨RLO⟩, so it cannot reorder what follows. Render the
 * result inside <bdi> (see {@link Isolated}) so it cannot reorder its surroundings either.
 */
export function showControls(text: string): string {
  return text.replace(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g, (c) => `⟨${BIDI_CONTROLS[c] ?? 'U+' + c.charCodeAt(0).toString(16).toUpperCase()}⟩`);
}
