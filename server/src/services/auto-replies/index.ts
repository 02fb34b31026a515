import type { RuleActionDeps } from './auto-reply-actions';
import type { Config } from '../../config/schema';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import { type AvailabilityProbe, AutoReplyService } from './auto-reply-service';
import { AutoReplySettings } from './auto-reply-settings';
import type { Clock } from '../clock';
import type { ConversationService } from '../conversations/conversation-service';
import { QuickReplyService } from './quick-reply-service';
import type { SiteDirectory } from '../site-directory';
import { publicAvailability, scheduleFor } from './template-context';

/** The auto-reply services, built and hooked in by {@link createAutoReplies}. */
export interface AutoReplies {
  settings: AutoReplySettings;
  service: AutoReplyService;
  quickReplies: QuickReplyService;
}

/**
 * Builds the auto-reply services, loads the admins' saved settings, listens to
 * committed conversation events, and adds open/away and the business profile
 * to each site's public config.
 */
export async function createAutoReplies(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  log: Logger;
  conversations: ConversationService;
  sites: SiteDirectory;
  probe: AvailabilityProbe;
  /** Where a keyword rule's labels go (the console's label service). */
  labels?: RuleActionDeps['labels'];
}): Promise<AutoReplies> {
  const { db, config, clock, log, conversations, sites, probe } = deps;
  const settings = new AutoReplySettings(db, config, clock, log);
  await settings.refresh();
  const service = new AutoReplyService(db, config, settings, conversations, probe, clock, log, deps.labels);
  conversations.listen(service);
  sites.extendPublicConfig((siteId, lang) => {
    if (!settings.configured(siteId)) return null;
    const site = settings.site(siteId);
    const schedule = scheduleFor(config, settings.global(), site, null);
    return publicAvailability(config.sites[siteId]?.name ?? siteId, site, schedule, lang, clock.now());
  });
  return { settings, service, quickReplies: new QuickReplyService(db, config, settings, clock) };
}
