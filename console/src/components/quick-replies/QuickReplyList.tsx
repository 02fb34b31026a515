import type { JSX } from 'preact';
import type { QuickReply } from '../../../../protocol/src/index';

/** Props of {@link QuickReplyList}. */
export interface QuickReplyListProps {
  id: string;
  items: QuickReply[];
  active: number;
  query: string;
  status: 'idle' | 'loading' | 'ready' | 'error';
  optionId(index: number): string;
  onPick(reply: QuickReply): void;
  onHover(index: number): void;
}

/** The `/` popup over the reply box: a listbox of quick replies with their filled-in text. */
export function QuickReplyList(props: QuickReplyListProps): JSX.Element {
  const { items, active, status } = props;
  let note: string | null = null;
  if (status === 'loading' && items.length === 0) note = 'Loading quick replies…';
  else if (status === 'error') note = 'Could not load quick replies.';
  else if (items.length === 0) note = props.query ? `No quick reply matches “/${props.query}”.` : 'No quick replies yet. Admins add them under Auto-replies.';
  return (
    <div class="qr-popup">
      <ul id={props.id} role="listbox" aria-label="Quick replies" class="qr-list">
        {items.map((item, i) => (
          <li
            key={`${item.teamId ?? ''}/${item.shortcut}`}
            id={props.optionId(i)}
            role="option"
            aria-selected={i === active}
            class={`qr-option${i === active ? ' active' : ''}`}
            // keep the focus in the reply box
            onMouseDown={(e) => e.preventDefault()}
            onMouseEnter={() => props.onHover(i)}
            onClick={() => props.onPick(item)}
          >
            <span class="qr-head">
              <span class="qr-shortcut">/{item.shortcut}</span>
              {item.title && <span class="qr-title">{item.title}</span>}
              {item.teamId && <span class="tag muted">{item.teamId}</span>}
            </span>
            <span class="qr-text">{item.text}</span>
          </li>
        ))}
      </ul>
      {note && <p class="qr-note">{note}</p>}
      <p class="qr-hint" aria-hidden="true">
        ↑↓ to choose · Enter or Tab to insert · Esc to close
      </p>
    </div>
  );
}
