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
