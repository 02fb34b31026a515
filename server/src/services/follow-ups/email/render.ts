import { type EmailTexts, emailDirection, emailTexts, fill } from '../../../i18n/email-texts';

/** A message as an email shows it. */
export interface EmailMessage {
  authorType: 'visitor' | 'agent' | 'bot' | 'system';
  authorName: string | null;
  text: string;
}

export interface RenderInput {
  kind: 'unseen' | 'transcript';
  /** The contact's language tag. */
  language: string | null;
  siteName: string;
  /** The messages the email is about: unseen ones, or the whole transcript. */
  messages: EmailMessage[];
  /** Messages before them, for context (unseen only). */
  context: EmailMessage[];
  /** The page the chat started on, with the hash that opens it; null when unknown. */
  chatUrl: string | null;
  /** The one-click unsubscribe link; null for the transcript the visitor asked for. */
  unsubscribeUrl: string | null;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text: every character that could open markup escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

function authorOf(message: EmailMessage, t: EmailTexts): string {
  if (message.authorType === 'visitor') return t.you;
  return message.authorName?.trim() || t.team;
}

/** The latest agent's name among the messages (the subject names who wrote). */
function agentName(messages: EmailMessage[], t: EmailTexts): string {
  const last = messages.findLast((m) => m.authorType === 'agent') ?? messages.findLast((m) => m.authorType !== 'visitor');
  return last ? authorOf(last, t) : t.team;
}

// subjects are one line: names may not smuggle line breaks into the header
const oneLine = (text: string) => text.replace(/[\r\n\t]+/g, ' ').trim();

function textBlock(messages: EmailMessage[], t: EmailTexts): string {
  return messages.map((m) => `${authorOf(m, t)}:\n${m.text}`).join('\n\n');
}

function htmlBlock(messages: EmailMessage[], t: EmailTexts, muted: boolean): string {
  const colour = muted ? '#57606a' : '#1f2328';
  return messages
    .map(
      (m) =>
        `<div style="margin:0 0 14px;color:${colour}"><div style="font-weight:600;font-size:13px">${escapeHtml(authorOf(m, t))}</div>` +
        `<div style="white-space:pre-wrap">${escapeHtml(m.text).replace(/\r?\n/g, '<br>')}</div></div>`,
    )
    .join('');
}

/** The email in the contact's language, as plain text and as simple HTML in which every name and message is escaped. */
export function renderEmail(input: RenderInput): RenderedEmail {
  const t = emailTexts(input.language);
  const site = oneLine(input.siteName);
  const agent = oneLine(agentName(input.messages, t));
  const values = { agent, site };
  const subject = oneLine(fill(input.kind === 'unseen' ? t.subjectUnseen : t.subjectTranscript, values));
  const intro = fill(input.kind === 'unseen' ? t.unseenIntro : t.transcriptIntro, values);
  const footer = fill(t.footer, values);
  const context = input.kind === 'unseen' ? input.context : [];

  const text = [
    intro,
    textBlock(input.messages, t),
    ...(input.chatUrl ? [`${t.openChat}: ${input.chatUrl}`] : []),
    ...(context.length > 0 ? [`— ${t.earlier} —\n\n${textBlock(context, t)}`] : []),
    '--',
    footer,
    ...(input.unsubscribeUrl ? [`${t.unsubscribe}: ${input.unsubscribeUrl}`] : []),
  ].join('\n\n');

  const lang = escapeHtml(input.language ?? 'en');
  const dir = emailDirection(input.language);
  const html = [
    `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`,
    `<title>${escapeHtml(subject)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#f6f8fa;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:15px;line-height:1.5">`,
    `<div style="max-width:560px;margin:0 auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:24px">`,
    `<p style="margin:0 0 16px">${escapeHtml(intro)}</p>`,
    htmlBlock(input.messages, t, false),
    input.chatUrl
      ? `<p style="margin:20px 0"><a href="${escapeHtml(input.chatUrl)}" style="display:inline-block;background:#0969da;color:#fff;text-decoration:none;padding:10px 16px;border-radius:6px">${escapeHtml(t.openChat)}</a></p>`
      : '',
    context.length > 0
      ? `<hr style="border:0;border-top:1px solid #d0d7de;margin:20px 0"><p style="margin:0 0 12px;color:#57606a;font-size:13px">${escapeHtml(t.earlier)}</p>${htmlBlock(context, t, true)}`
      : '',
    `</div>`,
    `<p style="max-width:560px;margin:16px auto 0;color:#57606a;font-size:12px">${escapeHtml(footer)}`,
    input.unsubscribeUrl ? `<br><a href="${escapeHtml(input.unsubscribeUrl)}" style="color:#57606a">${escapeHtml(t.unsubscribe)}</a>` : '',
    `</p></body></html>`,
  ].join('');

  return { subject, text, html };
}
