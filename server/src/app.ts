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
import { type AdjustableClock, type Clock, systemClock } from './services/clock';
import { testClockRoutes } from './http/test-clock-routes';
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
import { FollowUpService } from './services/follow-ups/follow-up-service';
import { type EmailFollowUps, type MailTransport, createEmailFollowUps, smtpTransport } from './services/follow-ups/email/index';
import { unsubscribeRoutes } from './http/unsubscribe-routes';

/** Email where the chat cannot reach (SMTP_URL): unseen agent messages, transcripts. */
export interface MailOptions {
  /** `smtp://user:pass@host:587` or `smtps://user:pass@host:465`. */
  url: string;
  /** The From header, `Parley <no-reply@example.com>`. */
  from: string;
  /** The server's address as visitors reach it, for the links in emails. */
  publicUrl: string;
  /** Signs unsubscribe links (EMAIL_LINK_SECRET); absent, one is kept in the store. */
  secret?: string;
  /** Stands in for SMTP (tests); `url` is then not used. */
  transport?: MailTransport;
}

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
  /** End-to-end tests only (PARLEY_TEST_CLOCK=1): the clock they may move through `POST /api/v1/test/clock`. */
  testClock?: AdjustableClock;
  /** Sends email when set; without it nothing about email runs or shows. */
  mail?: MailOptions;
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
  followUps: FollowUpService;
  /** Email follow-ups; null without `mail`. */
  email: EmailFollowUps | null;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/** Wires store, services, HTTP and realtime together; nothing listens until `listen`. */
export async function createParley(options: ParleyOptions): Promise<Parley> {
  const { config, log } = options;
  const clock = options.testClock ?? options.clock ?? systemClock;
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
    scheduledChanged: (m) => target.scheduledChanged(m),
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

  const followUps = new FollowUpService({
    db,
    clock,
    log,
    sites,
    conversations,
    assignments: routing.assignments,
    hoursOf: (siteId) => {
      const hours = autoReplies.settings.site(siteId).hours;
      return (typeof hours === 'string' ? autoReplies.settings.global().schedules[hours] : hours) ?? null;
    },
    notify: { scheduledChanged: (m) => relay.scheduledChanged(m), timelineEvent: (e) => relay.timelineEvent(e) },
  });

  const email = options.mail
    ? await createEmailFollowUps({
        db,
        clock,
        log,
        sites,
        scheduler: options.scheduler ?? systemScheduler,
        transport: options.mail.transport ?? smtpTransport(options.mail.url),
        from: options.mail.from,
        publicUrl: options.mail.publicUrl,
        ...(options.mail.secret ? { secret: options.mail.secret } : {}),
      })
    : null;
  if (email) sites.announceEmail();

  const app = createHttpApp({
    log,
    db,
    sites,
    auth,
    visitors,
    conversations,
    console: consoleServices,
    unread: (contactId) => followUps.unread(contactId),
    secureCookies: options.secureCookies ?? false,
    extraRoutes: [
      autoReplyRoutes(auth, autoReplies.settings, autoReplies.quickReplies),
      routingRoutes(auth, routing.directory, routing.assignments, routing.presence),
      siteSettingsRoutes(auth, siteSettings),
      ratingRoutes(auth, ratings),
      labelRoutes(auth, consoleServices),
      attachmentRoutes({ auth, visitors, sites, attachments }),
      ...(email ? [unsubscribeRoutes(email.unsubscribes)] : []),
      ...(options.testClock ? [testClockRoutes(auth, options.testClock, () => followUps.sendDue())] : []),
    ],
    ...(options.publicDir ? { publicDir: options.publicDir } : {}),
  });
  const http = createServer(app);
  const realtime = createRealtime(http, { log, sites, auth, visitors, conversations, ratings, routing, console: consoleServices, followUps, ...(email ? { email } : {}) });
  target = realtime.notifier;
  routing.connect(realtime);
  const stopFollowUps = followUps.start(options.scheduler ?? systemScheduler);
  email?.start();

  return {
    http,
    io: realtime.io,
    db,
    auth,
    conversations,
    visitors,
    routing,
    console: consoleServices,
    followUps,
    email,
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
      stopFollowUps();
      await followUps.settled();
      await email?.stop();
      await conversations.settled();
      await db.destroy();
    },
  };
}
