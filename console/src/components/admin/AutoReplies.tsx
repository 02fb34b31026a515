import type { JSX } from 'preact';
import { useEffect, useMemo } from 'preact/hooks';
import { createAutoRepliesAdminModel } from '../../models/auto-replies';
import type { ConsoleModel } from '../../models/console';
import { AdminPage } from './AdminPage';
import { AutoRepliesQuickReplies } from './AutoRepliesQuickReplies';
import { AutoRepliesScopes } from './AutoRepliesScopes';

/** The admins' screen: quick replies as a form, and every other auto-reply setting as checked JSON. */
export function AutoRepliesScreen({ model }: { model: ConsoleModel }): JSX.Element {
  const admin = model.session.agent.value?.role === 'admin';
  // the admin model and its code load with this screen, not with the inbox
  const autoReplies = useMemo(() => createAutoRepliesAdminModel(model.autoReplyApi, () => model.quickReplies.reset()), [model]);

  useEffect(() => {
    if (admin) void autoReplies.load();
  }, [admin]);

  const settings = autoReplies.settings.value;
  const quick = settings.find((s) => s.scope === 'quick-replies');
  return (
    <AdminPage model={model} title="Auto-replies" adminsOnly="Only admins can change auto-replies and quick replies.">
            <>
              <p class="admin-intro">
                What you save here is checked like the config file, stored in the database, and takes precedence over the
                file until you reset it. Texts may use variables such as <code>{'{{contact.name | "there"}}'}</code>.
              </p>
              {autoReplies.notice.value && (
                <p role="status" class="admin-notice">
                  {autoReplies.notice.value}
                </p>
              )}
              {autoReplies.loading.value && settings.length === 0 ? (
                <p role="status">Loading…</p>
              ) : (
                <>
                  {quick && <AutoRepliesQuickReplies setting={quick} model={autoReplies} />}
                  <AutoRepliesScopes settings={settings.filter((s) => s.scope !== 'quick-replies')} model={autoReplies} />
                </>
              )}
            </>
    </AdminPage>
  );
}
