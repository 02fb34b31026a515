import type { JSX } from 'preact';
import type { ConsoleModel } from '../models/console';
import { AutoRepliesScreen } from './admin/AutoReplies';
import { SurveyScreen } from './admin/Survey';
import { AgentsScreen } from './routing/AgentsScreen';
import { QuickRepliesContext } from './quick-replies/context';
import { ContactPanel } from './ContactPanel';
import { ConversationList } from './ConversationList';
import { ConversationPane } from './ConversationPane';
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
  return (
    <QuickRepliesContext.Provider value={model.quickReplies}>
      <Inbox model={model} />
    </QuickRepliesContext.Provider>
  );
}

/** The signed-in layout: header over three columns. */
function Inbox({ model }: { model: ConsoleModel }): JSX.Element {
  return (
    <div class="shell">
      <TopBar model={model} />
      <div class="columns">
        <ConversationList model={model} />
        <ConversationPane model={model} />
        <ContactPanel detail={model.conversation.detail.value} />
      </div>
    </div>
  );
}
