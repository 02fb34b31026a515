import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import type { ConsoleModel } from '../models/console';
import { AutoRepliesScreen } from './admin/AutoReplies';
import { LabelsScreen } from './admin/LabelsScreen';
import { SessionsScreen } from './SessionsScreen';
import { SurveyScreen } from './admin/Survey';
import { AgentsScreen } from './routing/AgentsScreen';
import { QuickRepliesContext } from './quick-replies/context';
import { ContactPanel } from './ContactPanel';
import { ConversationList } from './ConversationList';
import { ConversationPane } from './ConversationPane';
import { PaneBar } from './inbox/PaneBar';
import { ShortcutsDialog } from './inbox/ShortcutsDialog';
import { useShortcuts } from './inbox/use-shortcuts';
import { Setup } from './Setup';
import { SignIn } from './SignIn';
import { TopBar } from './TopBar';

/** The whole console: picks the screen from the route and the session. */
export function App({ model }: { model: ConsoleModel }): JSX.Element {
  const route = model.route.value;
  const state = model.session.state.value;

  if (route.name === 'setup' && state !== 'signedIn') {
    return <Setup session={model.session} token={route.token} onSubmit={(input) => model.completeSetup(input)} />;
  }
  if (state === 'loading') {
    return (
      <p class="boot" role="status">
        Loading…
      </p>
    );
  }
  if (state === 'signedOut') return <SignIn session={model.session} />;
  if (route.name === 'autoReplies') return <AutoRepliesScreen model={model} />;
  if (route.name === 'agents') return <AgentsScreen model={model} />;
  if (route.name === 'survey') return <SurveyScreen model={model} />;
  if (route.name === 'labels') return <LabelsScreen model={model} />;
  if (route.name === 'sessions') return <SessionsScreen model={model} />;
  return (
    <QuickRepliesContext.Provider value={model.quickReplies}>
      <Inbox model={model} />
    </QuickRepliesContext.Provider>
  );
}

/**
 * The signed-in layout: header over three columns. `data-pane` says which
 * column is in front, for narrow screens that show one (phone) or two (tablet)
 * at a time; console.css and conversation.css read it.
 */
function Inbox({ model }: { model: ConsoleModel }): JSX.Element {
  const help = useSignal(false);
  useShortcuts(model, () => (help.value = true));
  const route = model.route.value;
  const pane = route.name === 'inbox' && model.conversation.openId.value ? route.pane : 'list';
  return (
    <div class="shell" data-pane={pane}>
      <TopBar model={model} onShortcuts={() => (help.value = true)} />
      <div class="columns">
        <ConversationList model={model} />
        <div class="conversation-column">
          <PaneBar model={model} pane={pane} />
          <ConversationPane model={model} />
        </div>
        <div class="contact-column">
          {pane === 'contact' && (
            <div class="pane-bar contact-bar">
              <button type="button" class="button" onClick={() => model.showContact(false)}>
                <span aria-hidden="true">←</span> Back to the conversation
              </button>
            </div>
          )}
          <ContactPanel
            detail={model.conversation.detail.value}
            actions={{
              catalogue: model.conversation.labelCatalogue.value,
              editContactLabels: (add, remove) => model.conversation.editContactLabels(add, remove),
              setAttributes: (attributes) => model.conversation.setAttributes(attributes),
              openConversation: (id) => model.selectConversation(id),
              ...(model.session.agent.value?.role === 'admin' ? { personalData: { onErased: () => model.selectConversation(null) } } : {}),
            }}
          />
        </div>
      </div>
      {help.value && <ShortcutsDialog onClose={() => (help.value = false)} />}
    </div>
  );
}
