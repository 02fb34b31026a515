import { useSignal } from '@preact/signals';
import type { ComponentType, JSX } from 'preact';
import type { ConsoleModel } from '../models/console';
import { LazyScreen } from './LazyScreen';
import { QuickRepliesContext } from './quick-replies/context';
import { ContactPanel } from './ContactPanel';
import { ConversationList } from './ConversationList';
import { ConversationPane } from './ConversationPane';
import { PaneBar } from './inbox/PaneBar';
import { ShortcutsDialog } from './inbox/ShortcutsDialog';
import { useShortcuts } from './inbox/use-shortcuts';
import { Setup } from './Setup';
import { AcceptInvite } from './AcceptInvite';
import { SignIn } from './SignIn';
import { TopBar } from './TopBar';

/** The screens that are not the inbox, each a chunk of its own. */
const SCREENS: Record<string, () => Promise<ComponentType<{ model: ConsoleModel }>>> = {
  autoReplies: () => import('./admin/AutoReplies').then((m) => m.AutoRepliesScreen),
  agents: () => import('./routing/AgentsScreen').then((m) => m.AgentsScreen),
  survey: () => import('./admin/Survey').then((m) => m.SurveyScreen),
  labels: () => import('./admin/LabelsScreen').then((m) => m.LabelsScreen),
  integrations: () => import('./admin/IntegrationsScreen').then((m) => m.IntegrationsScreen),
  reports: () => import('./reports/ReportsScreen').then((m) => m.ReportsScreen),
  audit: () => import('./admin/AuditScreen').then((m) => m.AuditScreen),
  sessions: () => import('./SessionsScreen').then((m) => m.SessionsScreen),
};

/** The whole console: picks the screen from the route and the session. */
export function App({ model }: { model: ConsoleModel }): JSX.Element {
  const route = model.route.value;
  const state = model.session.state.value;

  if (route.name === 'invite' && state !== 'signedIn') {
    return <AcceptInvite session={model.session} token={route.token} onSubmit={(input) => model.completeInvite(input)} />;
  }
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
  // screens away from the inbox load their code when opened (the inbox's bundle stays small)
  const screen = SCREENS[route.name];
  if (screen) return <LazyScreen key={route.name} model={model} load={screen} />;
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
