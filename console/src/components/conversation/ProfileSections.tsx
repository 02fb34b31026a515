import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import type { ConversationDetail } from '../../../../protocol/src/index';
import { isHttpUrl } from '../../lib/links';
import { fullTime, now, relativeTime } from '../../lib/time';
import { inquiryTypeLabel } from '../../lib/labels';
import { Isolated } from '../Isolated';

/** The visitor's local time in `timeZone`, or null when the zone is unknown to this browser. */
export function localTime(timeZone: string, at: Date): string | null {
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit', weekday: 'short' }).format(at);
  } catch {
    return null;
  }
}

/** Browsers by the token that names them, most specific first (Edge and Chrome both say Chrome). */
const BROWSERS: [string, RegExp][] = [
  ['Edge', /Edg\/(\d+)/],
  ['Firefox', /Firefox\/(\d+)/],
  ['Chrome', /Chrom(?:e|ium)\/(\d+)/],
  ['Safari', /Version\/(\d+).*Safari/],
];
const SYSTEMS: [string, RegExp][] = [
  ['Android', /Android/],
  ['iOS', /iPhone|iPad|iPod/],
  ['Windows', /Windows/],
  ['macOS', /Mac OS X|Macintosh/],
  ['Linux', /Linux|X11/],
];

/** Browser and OS, read roughly from a user agent string. */
export function browserAndOs(userAgent: string): string {
  let browser = 'Unknown browser';
  for (const [name, pattern] of BROWSERS) {
    const version = pattern.exec(userAgent)?.[1];
    if (version !== undefined) {
      browser = `${name} ${version}`;
      break;
    }
  }
  const os = SYSTEMS.find(([, pattern]) => pattern.test(userAgent))?.[0] ?? 'unknown OS';
  return `${browser} on ${os}`;
}

/** Local time, browser, the pages seen. */
export function VisitSection({ detail }: { detail: ConversationDetail }): JSX.Element {
  const { profile } = detail;
  const at = now.value;
  const local = profile.timeZone ? localTime(profile.timeZone, new Date(at)) : null;
  return (
    <section class="panel-section">
      <h3>Visit</h3>
      <dl class="facts">
        <div class="fact">
          <dt>Local time</dt>
          <dd>{local ? `${local} (${profile.timeZone})` : 'Unknown'}</dd>
        </div>
        <div class="fact">
          <dt>Browser</dt>
          <dd>{profile.userAgent ? browserAndOs(profile.userAgent) : 'Unknown'}</dd>
        </div>
      </dl>
      <h4 class="subhead">Pages seen</h4>
      {profile.pages.length > 0 ? (
        <ol class="pages" aria-label="Pages seen">
          {profile.pages.map((p) => (
            <li key={p.seenAt + p.url}>
              {isHttpUrl(p.url) ? (
                <a href={p.url} target="_blank" rel="noopener noreferrer nofollow" class="break">
                  <Isolated text={p.title || p.url} />
                </a>
              ) : (
                <Isolated text={p.title || p.url} />
              )}{' '}
              <time class="muted" dateTime={p.seenAt} title={fullTime(p.seenAt)}>
                {relativeTime(p.seenAt, at)}
              </time>
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">Only the page where the chat started.</p>
      )}
    </section>
  );
}

/** The contact's custom attributes, editable in place. */
export function AttributesSection({ detail, onSave }: { detail: ConversationDetail; onSave(attributes: Record<string, string | number | boolean | null>): Promise<string | null> }): JSX.Element {
  const key = useSignal('');
  const value = useSignal('');
  const error = useSignal<string | null>(null);
  const entries = Object.entries(detail.profile.attributes);
  async function save(attributes: Record<string, string | null>): Promise<void> {
    error.value = await onSave(attributes);
    if (!error.value) {
      key.value = '';
      value.value = '';
    }
  }
  return (
    <section class="panel-section">
      <h3>Attributes</h3>
      {entries.length > 0 ? (
        <dl class="facts">
          {entries.map(([k, v]) => (
            <div key={k} class="fact">
              <dt>
                <bdi>{k}</bdi>
              </dt>
              <dd>
                <Isolated text={String(v)} />{' '}
                <button type="button" class="link-button" aria-label={`Remove attribute ${k}`} onClick={() => void save({ [k]: null })}>
                  Remove
                </button>
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p class="muted">No attributes yet.</p>
      )}
      <form
        class="attribute-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (key.value.trim()) void save({ [key.value.trim()]: value.value });
        }}
      >
        <input aria-label="Attribute name" placeholder="Name (e.g. plan)" maxLength={40} value={key.value} onInput={(e) => (key.value = e.currentTarget.value)} />
        <input aria-label="Attribute value" placeholder="Value" maxLength={500} value={value.value} onInput={(e) => (value.value = e.currentTarget.value)} />
        <button type="submit" class="button small">
          Save
        </button>
      </form>
      {error.value && (
        <p class="field-error" role="alert">
          {error.value}
        </p>
      )}
    </section>
  );
}

/** The contact's other conversations; each opens in the console. */
export function HistorySection({ detail, onOpen }: { detail: ConversationDetail; onOpen(id: string): void }): JSX.Element {
  const others = detail.profile.conversations.filter((c) => c.id !== detail.id);
  return (
    <section class="panel-section">
      <h3>Earlier conversations</h3>
      {others.length > 0 ? (
        <ul class="history" aria-label="Earlier conversations">
          {others.map((c) => (
            <li key={c.id}>
              <a
                href={`/console/conversations/${c.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  onOpen(c.id);
                }}
              >
                {fullTime(c.createdAt)} · {c.status === 'closed' ? 'Closed' : 'Open'}
                {c.inquiryType && ` · ${inquiryTypeLabel(detail.siteId, c.inquiryType)}`}
              </a>
              {c.lastMessageText && (
                <p class="muted history-preview">
                  <Isolated text={c.lastMessageText} />
                </p>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">This is their first conversation.</p>
      )}
    </section>
  );
}
