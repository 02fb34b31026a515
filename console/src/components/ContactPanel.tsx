import { PersonalDataSection } from './conversation/PersonalDataSection';
import type { JSX } from 'preact';
import type { ConversationDetail, Label, SurveyAnswer } from '../../../protocol/src/index';
import { inquiryTypeLabel } from '../lib/labels';
import { AttributesSection, HistorySection, VisitSection } from './conversation/ProfileSections';
import { Isolated } from './Isolated';
import { LabelChips } from './labels/LabelChips';
import { isHttpUrl } from '../lib/links';
import { fullTime } from '../lib/time';
import { contactName, initials } from './names';
import { RatingSection } from './RatingSection';
import { optOutText } from '../models/follow-ups';

const languageNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(undefined, { type: 'language' }) : null;

function languageLabel(tag: string): string {
  try {
    const name = languageNames?.of(tag);
    return name && name !== tag ? `${name} (${tag})` : tag;
  } catch {
    return tag;
  }
}

function answerText(answer: SurveyAnswer, siteId: string): string {
  if (typeof answer.value === 'boolean') return answer.value ? 'Yes' : 'No';
  if (answer.key === 'inquiryType' && typeof answer.value === 'string') return inquiryTypeLabel(siteId, answer.value);
  return String(answer.value);
}

/** What the panel may change: labels and attributes of the contact, and opening another conversation. */
export interface ContactActions {
  catalogue: readonly Label[];
  editContactLabels(add: string[], remove: string[]): Promise<string | null>;
  setAttributes(attributes: Record<string, string | number | boolean | null>): Promise<string | null>;
  openConversation(id: string): void;
  /** Admins only: export and erase the contact's personal data; called after an erasure. */
  personalData?: { onErased(): void };
}

/** A link to a stored address, or plain text when it is not http(s). */
function SafeLink({ href, children }: { href: string; children?: string }): JSX.Element {
  return isHttpUrl(href) ? (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children ?? href}
    </a>
  ) : (
    <span>{children ?? href}</span>
  );
}

/** The right column: who the visitor is and what they told the survey. */
export function ContactPanel({ detail, actions }: { detail: ConversationDetail | null; actions?: ContactActions }): JSX.Element {
  if (!detail) {
    return (
      <aside class="contact" aria-label="Contact">
        <p class="panel-empty">Contact details appear here when a conversation is open.</p>
      </aside>
    );
  }
  const { contact, consent } = detail;
  const name = contactName(contact);
  return (
    <aside class="contact" aria-label="Contact">
      <div class="contact-head">
        <span class="avatar large" aria-hidden="true">
          {initials(name)}
        </span>
        <div>
          <h2>
            <Isolated text={name} />
          </h2>
          {contact.email && (
            <p class="contact-email">
              <a href={`mailto:${contact.email}`}>
                <Isolated text={contact.email} />
              </a>
              {/* anyone can type anyone's email: say so unless the site verified who this is */}
              {!detail.profile.verifiedUserId && (
                <span class="badge quiet" title="Typed by the visitor; the site did not verify who they are">
                  unverified
                </span>
              )}
            </p>
          )}
          {detail.profile.verifiedUserId && (
            <p class="contact-verified">
              Verified user <Isolated text={detail.profile.verifiedUserId} />
            </p>
          )}
        </div>
      </div>

      <dl class="facts">
        {contact.phone && (
          <div class="fact">
            <dt>Phone</dt>
            <dd>
              <Isolated text={contact.phone} />
            </dd>
          </div>
        )}
        <div class="fact">
          <dt>Language</dt>
          <dd>{contact.language ? languageLabel(contact.language) : 'Unknown'}</dd>
        </div>
      </dl>

      {detail.handoverAt && (
        <section class="panel-section">
          <h3>Flags</h3>
          <p class="handover" role="note">
            Asked for a person <time dateTime={detail.handoverAt}>{fullTime(detail.handoverAt)}</time>
          </p>
        </section>
      )}

      {actions && (
        <section class="panel-section">
          <h3>Contact labels</h3>
          <LabelChips on="contact" labels={detail.profile.labels} catalogue={actions.catalogue} onEdit={(add, remove) => actions.editContactLabels(add, remove)} />
        </section>
      )}

      <RatingSection detail={detail} />

      <section class="panel-section">
        <h3>Survey answers</h3>
        {detail.answers.length > 0 ? (
          <dl class="facts">
            {detail.answers.map((a) => (
              <div key={a.key} class="fact">
                <dt>{a.label}</dt>
                <dd>
                  <Isolated text={answerText(a, detail.siteId)} />
                </dd>
              </div>
            ))}
          </dl>
        ) : (
          <p class="muted">No answers.</p>
        )}
      </section>

      <section class="panel-section">
        <h3>Consent</h3>
        {consent ? (
          <>
            <blockquote class="consent-text">{consent.text}</blockquote>
            <p class="muted">
              Accepted <time dateTime={consent.acceptedAt}>{fullTime(consent.acceptedAt)}</time>
            </p>
            {consent.policyUrl && (
              <p>
                <SafeLink href={consent.policyUrl}>Privacy policy</SafeLink>
              </p>
            )}
          </>
        ) : (
          <p class="muted">No consent recorded.</p>
        )}
        {detail.profile.followUpsOptedOut ? (
          <p class="opt-out" role="note">
            {optOutText(detail.profile.followUpsOptedOut)}
          </p>
        ) : (
          <p class="muted">Follow-ups: welcome (not opted out).</p>
        )}
      </section>

      <VisitSection detail={detail} />
      {actions && <AttributesSection detail={detail} onSave={(a) => actions.setAttributes(a)} />}
      {actions && <HistorySection detail={detail} onOpen={(id) => actions.openConversation(id)} />}

      {actions?.personalData && <PersonalDataSection contactId={contact.id} name={name} onErased={actions.personalData.onErased} />}

      <section class="panel-section">
        <h3>Chat started on</h3>
        {detail.pageUrl || consent?.pageUrl ? (
          <p class="break">
            <SafeLink href={(detail.pageUrl || consent?.pageUrl) as string} />
          </p>
        ) : (
          <p class="muted">Unknown.</p>
        )}
      </section>
    </aside>
  );
}
