import type { JSX } from 'preact';
import type { ConsoleModel, InboxPane } from '../../models/console';

/**
 * The bar over the open conversation on tablets and phones: back to the list
 * (phones), and the contact details shown or hidden. Hidden on wide screens,
 * where all three columns fit.
 */
export function PaneBar({ model, pane }: { model: ConsoleModel; pane: InboxPane }): JSX.Element | null {
  if (!model.conversation.openId.value) return null;
  const contactShown = pane === 'contact';
  return (
    <div class="pane-bar">
      <button type="button" class="button pane-back" aria-label="Back to conversations" onClick={() => model.selectConversation(null)}>
        <span aria-hidden="true">←</span> Back
      </button>
      <button type="button" class="button pane-contact" aria-pressed={contactShown} onClick={() => model.showContact(!contactShown)}>
        {contactShown ? 'Hide contact' : 'Contact details'}
      </button>
    </div>
  );
}
