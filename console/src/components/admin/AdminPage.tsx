import type { ComponentChildren, JSX } from 'preact';
import type { ConsoleModel } from '../../models/console';
import { TopBar } from '../TopBar';

interface Props {
  model: ConsoleModel;
  title: string;
  /** What a signed-in agent who is not an admin reads instead of the page; absent, every agent sees it. */
  adminsOnly?: string;
  children: ComponentChildren;
}

/** The frame of every screen beside the inbox: top bar, a way back to the inbox, the title, and (admin screens) the admin check. */
export function AdminPage({ model, title, adminsOnly, children }: Props): JSX.Element {
  const allowed = adminsOnly === undefined || model.session.agent.value?.role === 'admin';
  return (
    <div class="shell">
      <TopBar model={model} />
      <main class="admin" aria-labelledby="admin-title">
        <div class="admin-inner">
          <p>
            <button type="button" class="link-button" onClick={() => model.navigate('inbox')}>
              ← Back to the inbox
            </button>
          </p>
          <h1 id="admin-title">{title}</h1>
          {allowed ? (
            children
          ) : (
            <p role="alert" class="form-alert">
              {adminsOnly}
            </p>
          )}
        </div>
      </main>
    </div>
  );
}
