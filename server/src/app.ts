import { type Server as HttpServer, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as IoServer } from 'socket.io';
import type { Config } from './config/schema';
import { createHttpApp } from './http/app';
import { autoReplyRoutes } from './http/auto-reply-routes';
import { ratingRoutes } from './http/rating-routes';
import type { Logger } from './logger';
import { createRealtime } from './realtime/io';
import { AuthService } from './services/auth-service';
import type { AvailabilityProbe } from './services/auto-replies/auto-reply-service';
import { createAutoReplies } from './services/auto-replies';
import { type Clock, systemClock } from './services/clock';
import { ConversationService } from './services/conversations/conversation-service';
import { RatingService } from './services/rating-service';
import { type Notifier, silentNotifier } from './services/notifier';
import { SiteDirectory } from './services/site-directory';
import { SiteSettings } from './services/site-settings';
import { siteSettingsRoutes } from './http/site-settings-routes';
import { VisitorService } from './services/visitor-service';
import { type Routing, createRouting } from './services/routing';
import { type Scheduler, systemScheduler } from './services/scheduler';
import { routingRoutes } from './http/routing-routes';
import { type Db, openStore } from './store/db';
import { type ConsoleServices, createConsoleServices } from './services/conversations/index';
import { labelRoutes } from './http/label-routes';
import { attachmentRoutes } from './http/attachment-routes';
import { AttachmentService } from './services/attachments/attachment-service';
import { storageFor } from './services/attachments/attachment-storage';

export interface ParleyOptions {
  config: Config;
  log: Logger;
  dataDir: string;
  clock?: Clock;
  secureCookies?: boolean;
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  /** Commit messages that arrive together in one transaction (default); false: one transaction each. */
  groupCommit?: boolean;
  publicDir?: string;
  /** Who is online and at capacity, for away and busy messages; defaults to routing's presence and capacity. */
  availability?: AvailabilityProbe;
  /** Timers of the presence sweep; tests pass a manual one and drive it with a fake clock. */
  scheduler?: Scheduler;
}

export interface Parley {
  http: HttpServer;
  io: IoServer;
  db: Db;
  auth: AuthService;
  conversations: ConversationService;
  visitors: VisitorService;
  routing: Routing;
  console: ConsoleServices;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/** Wires store, services, HTTP and realtime together; nothing listens until `listen`. */
export async function createParley(options: ParleyOptions): Promise<Parley> {
  const { config, log } = options;
  const clock = options.clock ?? systemClock;
  const db = await openStore({ dataDir: options.dataDir, synchronous: options.sqliteSynchronous ?? 'FULL' });
  const sites = new SiteDirectory(config);
  await sites.syncToStore(db, clock.now().toISOString());
  // admins' saved surveys stand in for the file's from here on (SiteDirectory.get reads through them)
  const siteSettings = new SiteSettings(db, config, sites, clock, log);
  await siteSettings.refresh();

  // services are built before the sockets exist; they speak through this relay
  let target: Notifier = silentNotifier;
  const relay: Notifier = {
    messageCreated: (m) => target.messageCreated(m),
    conversationChanged: (s, v) => target.conversationChanged(s, v),
    agentSessionEnded: (h) => target.agentSessionEnded(h),
    noteCreated: (n) => target.noteCreated(n),
    timelineEvent: (e) => target.timelineEvent(e),
    typing: (e, v) => target.typing(e, v),
    readMoved: (e, s) => target.readMoved(e, s),
    labelsChanged: (l) => target.labelsChanged(l),
    contactUpdated: (c, p) => target.contactUpdated(c, p),
  };
  const conversations = new ConversationService(db, relay, clock, log, { groupCommit: options.groupCommit ?? true });
  const consoleServices = await createConsoleServices({ db, clock, notifier: relay, config });
  const visitors = new VisitorService(db, sites, conversations, clock, consoleServices.search);
  const auth = new AuthService(db, relay, clock);
  const attachments = new AttachmentService(db, storageFor(options.dataDir), conversations, clock, config.attachments);
  const ratings = new RatingService(db, conversations, clock, log);
  // routing listens first, so auto-replies see each new conversation's team and queue
  const routing = await createRouting({ db, config, clock, log, conversations, notifier: relay, scheduler: options.scheduler ?? systemScheduler });
  const autoReplies = await createAutoReplies({
    db,
    config,
    clock,
    log,
    conversations,
    sites,
    probe: options.availability ?? routing.routing.probe(),
    labels: consoleServices.labels,
  });

  const app = createHttpApp({
    log,
    db,
    sites,
    auth,
    visitors,
    conversations,
    console: consoleServices,
    secureCookies: options.secureCookies ?? false,
    extraRoutes: [
      autoReplyRoutes(auth, autoReplies.settings, autoReplies.quickReplies),
      routingRoutes(auth, routing.directory, routing.assignments, routing.presence),
      siteSettingsRoutes(auth, siteSettings),
      ratingRoutes(auth, ratings),
      labelRoutes(auth, consoleServices),
      attachmentRoutes({ auth, visitors, sites, attachments }),
    ],
    ...(options.publicDir ? { publicDir: options.publicDir } : {}),
  });
  const http = createServer(app);
  const realtime = createRealtime(http, { log, sites, auth, visitors, conversations, ratings, routing, console: consoleServices });
  target = realtime.notifier;
  routing.connect(realtime);

  return {
    http,
    io: realtime.io,
    db,
    auth,
    conversations,
    visitors,
    routing,
    console: consoleServices,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => resolve((http.address() as AddressInfo).port));
      });
    },
    async close() {
      // sockets first, so no event starts work; then what their disconnects and the timers started
      await new Promise<void>((resolve) => realtime.io.close(() => resolve()));
      await routing.stop();
      await conversations.settled();
      await db.destroy();
    },
  };
}
