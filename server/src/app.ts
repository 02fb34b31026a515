import { type Server as HttpServer, createServer } from 'node:http';
import { Namespaces } from '../../protocol/src/index';
import { answerClientError } from './http/problem';
import { reportRoutes } from './http/report-routes';
import { type SocketCounts, createMetrics } from './services/metrics/metrics';
import type { AddressInfo } from 'node:net';
import type { Server as IoServer, ServerOptions } from 'socket.io';
import type { Config } from './config/schema';
import { createHttpApp } from './http/app';
import { autoReplyRoutes } from './http/auto-reply-routes';
import { ratingRoutes } from './http/rating-routes';
import type { Logger } from './logger';
import { createRealtime } from './realtime/io';
import { createEventGate } from './realtime/drain';
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
import { VisitorIdentityService } from './services/identity/visitor-identity';
import { type Routing, createRouting } from './services/routing';
import { type Scheduler, systemScheduler } from './services/scheduler';
import { routingRoutes } from './http/routing-routes';
import { type Db, openStore } from './store/db';
import { type ConsoleServices, createConsoleServices } from './services/conversations/index';
import { labelRoutes } from './http/label-routes';
import { attachmentRoutes } from './http/attachment-routes';
import { AttachmentService } from './services/attachments/attachment-service';
import { storageFor } from './services/attachments/attachment-storage';
import { AuditLog } from './services/personal-data/audit-log';
import { PersonalData } from './services/personal-data/personal-data';
import { personalDataRoutes } from './http/personal-data-routes';
import { FollowUpService } from './services/follow-ups/follow-up-service';
import { type EmailFollowUps, type MailTransport, createEmailFollowUps, smtpTransport } from './services/follow-ups/email/index';
import { unsubscribeRoutes } from './http/unsubscribe-routes';
import type { CounterFactory } from './services/limits/counters';
import { LoginThrottle } from './services/login-throttle';
import { RateLimits } from './services/limits/rate-limits';
import { webhookRoutes } from './http/webhook-routes';
import { apiKeyRoutes } from './http/api-key-routes';
import { conversationActionRoutes } from './http/conversation-action-routes';
import { programRoutes } from './http/program-routes';
import { inviteRoutes } from './http/invite-routes';
import { AgentInvites } from './services/agents/invites';
import { agentReplies } from './services/conversations/agent-reply';
import { OutboundConversations } from './services/conversations/outbound';
import { ApiKeys } from './services/api-keys/api-keys';
import { httpSender } from './services/webhooks/sender';
import { WebhookService } from './services/webhooks/webhook-service';

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
  /** Socket.IO's adapter, shared by every node (the Redis Streams adapter with REDIS_URL); absent, one node's memory. */
  socketAdapter?: ServerOptions['adapter'];
  /** PostgreSQL instead of the embedded SQLite (`DATABASE_URL`); `schema` keeps tests apart. */
  postgres?: { url: string; schema?: string; poolSize?: number };
  /** Commit messages that arrive together in one transaction (default); false: one transaction each. */
  groupCommit?: boolean;
  publicDir?: string;
  /** Who is online and at capacity, for away and busy messages; defaults to routing's presence and capacity. */
  availability?: AvailabilityProbe;
  /** Timers of the presence sweep; tests pass a manual one and drive it with a fake clock. */
  scheduler?: Scheduler;
  /** End-to-end tests only (PARLEY_TEST_CLOCK=1): the clock they may move through `POST /api/v1/test/clock`. */
  testClock?: AdjustableClock;
  /** Each site's identity secret (IDENTITY_SECRET_<SITE> in the environment), for verified visitors. */
  identitySecrets?: Record<string, string>;
  /** Sends email when set; without it nothing about email runs or shows. */
  mail?: MailOptions;
  /** Abuse limits of the config (default); false turns them off, for benchmarks that flood one server from one address. */
  rateLimits?: boolean;
  /** Where limit counters live; defaults to this process's memory. */
  counters?: CounterFactory;
  /** `/metrics` answers only with `Authorization: Bearer <metricsToken>` when set (METRICS_TOKEN). */
  metricsToken?: string;
  /** More checks for `/readyz` besides the store (Redis, when configured). */
  readiness?: Record<string, () => Promise<boolean>>;
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
  personalData: PersonalData;
  /** Email follow-ups; null without `mail`. */
  email: EmailFollowUps | null;
  webhooks: WebhookService;
  listen(port: number, host?: string): Promise<number>;
  /**
   * Shuts down gracefully: stops taking connections and socket events, answers every event
   * already taken (acks follow commits), then closes the sockets, the services and the store.
   */
  close(): Promise<void>;
  /** What `close` is still waiting for, in words (for a shutdown that ran out of time). */
  pendingWork(): string[];
}

/** How long `close` waits for the socket events it took to be answered before closing anyway. */
const ANSWER_GRACE_MS = 5000;

/** Resolves with the promise, or after `ms` if it takes longer. */
function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).then(
    () => clearTimeout(timer),
    () => clearTimeout(timer),
  );
}

/** Wires store, services, HTTP and realtime together; nothing listens until `listen`. */
export async function createParley(options: ParleyOptions): Promise<Parley> {
  const { config, log } = options;
  const clock = options.testClock ?? options.clock ?? systemClock;
  const db = await openStore({
    dataDir: options.dataDir,
    synchronous: options.sqliteSynchronous ?? 'FULL',
    ...(options.postgres ? { databaseUrl: options.postgres.url, schema: options.postgres.schema, poolSize: options.postgres.poolSize } : {}),
  });
  const sites = new SiteDirectory(config);
  await sites.syncToStore(db, clock.now().toISOString());
  // admins' saved surveys stand in for the file's from here on (SiteDirectory.get reads through them)
  const siteSettings = new SiteSettings(db, config, sites, clock, log);
  await siteSettings.refresh();

  // services are built before the sockets exist; they speak through this relay
  let target: Notifier = silentNotifier;
  const relay: Notifier = {
    messageCreated: (m, except) => target.messageCreated(m, except),
    conversationChanged: (s, v) => target.conversationChanged(s, v),
    agentSessionEnded: (h) => target.agentSessionEnded(h),
    noteCreated: (n) => target.noteCreated(n),
    timelineEvent: (e) => target.timelineEvent(e),
    typing: (e, v) => target.typing(e, v),
    readMoved: (e, s) => target.readMoved(e, s),
    labelsChanged: (l) => target.labelsChanged(l),
    contactUpdated: (c, p) => target.contactUpdated(c, p),
    scheduledChanged: (m) => target.scheduledChanged(m),
    conversationsRemoved: (ids) => target.conversationsRemoved(ids),
  };
  const conversations = new ConversationService(db, relay, clock, log, { groupCommit: options.groupCommit ?? true });
  const consoleServices = await createConsoleServices({ db, clock, notifier: relay, config });
  const visitors = new VisitorService(db, sites, conversations, clock, consoleServices.search, options.identitySecrets ?? {});
  const auth = new AuthService(db, relay, clock);
  const files = storageFor(options.dataDir);
  const attachments = new AttachmentService(db, files, conversations, clock, config.attachments);
  const audit = new AuditLog(db, clock);
  const personalData = new PersonalData({ db, clock, log, storage: files, audit, sites, removed: (ids) => relay.conversationsRemoved(ids) });
  const ratings = new RatingService(db, conversations, clock, log);
  const limits = new RateLimits(config, options.counters, options.rateLimits ?? true);
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

  // programs sign in with API keys: every agent route takes one where it takes a session
  const apiKeys = new ApiKeys(db, clock, audit);
  auth.apiKeys = apiKeys;
  const invites = new AgentInvites(db, clock);
  auth.invites = invites;
  // webhook deliveries are written in the transactions of the changes they announce
  const webhooks = new WebhookService({ db, clock, log, audit, send: httpSender });
  visitors.webhooks = webhooks;
  const identity = new VisitorIdentityService(db, sites, visitors, clock, consoleServices.search, options.identitySecrets ?? {});
  identity.webhooks = webhooks;
  consoleServices.profiles.webhooks = webhooks;
  routing.routing.store.webhooks = webhooks;
  ratings.webhooks = webhooks;
  conversations.setMessageOutbox(webhooks);

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

  // sockets are counted once the realtime layer exists (it is created after the HTTP app)
  let socketCounts: SocketCounts | null = null;
  const metrics = createMetrics({ db, conversations, sockets: () => socketCounts });
  // programs write first to a contact (an order notice): a conversation assigned to the key's agent
  const outbound = new OutboundConversations({
    db,
    clock,
    conversations,
    search: consoleServices.search,
    optedOut: (contactId) => followUps.consent.optedOut(contactId),
    summary: async (agentId, id) => (await consoleServices.inbox.summaries(agentId, [id]))[0]!,
  });
  outbound.webhooks = webhooks;
  const app = createHttpApp({
    metrics,
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
    ...(options.readiness ? { readiness: options.readiness } : {}),
    log,
    db,
    sites,
    auth,
    visitors,
    conversations,
    console: consoleServices,
    unread: (contactId) => followUps.unread(contactId),
    limits,
    identity: {
      service: identity,
      async setAttributes(contactId, attributes) {
        await consoleServices.profiles.setAttributes({ contactId, attributes });
        relay.contactUpdated(contactId, await consoleServices.profiles.profile(contactId, null));
      },
    },
    // failed sign-ins are counted where the limit counters are: Redis with REDIS_URL, so every node sees them
    loginThrottle: new LoginThrottle({}, options.counters),
    secureCookies: options.secureCookies ?? false,
    extraRoutes: [
      autoReplyRoutes(auth, autoReplies.settings, autoReplies.quickReplies, audit),
      routingRoutes(auth, routing.directory, routing.assignments, routing.presence, audit),
      inviteRoutes(auth, invites, audit),
      personalDataRoutes(auth, personalData, audit),
      siteSettingsRoutes(auth, siteSettings, audit),
      ratingRoutes(auth, ratings),
      reportRoutes({ auth, db, hours: autoReplies.settings, now: () => clock.now() }),
      labelRoutes(auth, consoleServices, audit),
      webhookRoutes(auth, webhooks),
      apiKeyRoutes(auth, apiKeys),
      conversationActionRoutes(auth, consoleServices, routing.assignments, conversations),
      programRoutes({ auth, db, services: consoleServices, conversations, outbound, reply: agentReplies({ conversations, routing, followUps, limits }) }),
      attachmentRoutes({ auth, visitors, sites, attachments, limits }),
      ...(email ? [unsubscribeRoutes(email.unsubscribes)] : []),
      ...(options.testClock ? [testClockRoutes(auth, options.testClock, () => followUps.sendDue())] : []),
    ],
    ...(options.publicDir ? { publicDir: options.publicDir } : {}),
  });
  const http = createServer(app);
  http.on('clientError', answerClientError);
  const realtime = createRealtime(http, { log, sites, auth, visitors, conversations, ratings, routing, console: consoleServices, followUps, limits, personalData, observeEvent: metrics.observeEvent, ...(email ? { email } : {}), ...(options.socketAdapter ? { adapter: options.socketAdapter } : {}) });
  const gate = createEventGate(realtime.io);
  socketCounts = { visitors: () => realtime.io.of(Namespaces.visitor).sockets.size, agents: () => realtime.io.of(Namespaces.agent).sockets.size };
  let stage = 'running';
  target = realtime.notifier;
  routing.connect(realtime);
  const stopFollowUps = followUps.start(options.scheduler ?? systemScheduler);
  const stopRetention = personalData.start(options.scheduler ?? systemScheduler);
  email?.start();
  webhooks.start(options.scheduler ?? systemScheduler);

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
    personalData,
    email,
    webhooks,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => resolve((http.address() as AddressInfo).port));
      });
    },
    async close() {
      // take no more work: no new HTTP connections, no new sockets, no new socket events
      gate.close();
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      // answer what was taken before any socket closes: its messages commit, then their acks go out
      stage = 'answering socket events';
      await gate.idle(ANSWER_GRACE_MS);
      stage = 'committing messages';
      await conversations.settled();
      // closing each connection gently flushes the acks written to it; io.close() alone would discard them
      stage = 'closing sockets';
      await gate.disconnectAll(2000);
      http.closeIdleConnections();
      await within(new Promise<void>((resolve) => realtime.io.close(() => resolve())), 2000);
      // then what the disconnects and the timers started
      stage = 'stopping services';
      await routing.stop();
      stopFollowUps();
      stopRetention();
      await followUps.settled();
      await personalData.settled();
      await email?.stop();
      await webhooks.stop();
      await conversations.settled();
      stage = 'finishing HTTP requests';
      await within(httpClosed, 2000);
      http.closeAllConnections();
      stage = 'closing the store';
      await db.destroy();
      stage = 'closed';
    },
    pendingWork() {
      const work = conversations.pendingWork;
      return [
        `stage: ${stage}`,
        `${gate.pending} socket events unanswered`,
        `${work.appends ? 'some' : 'no'} messages waiting for their commit`,
        `${work.listeners} conversation listener runs`,
        `${realtime.io.engine.clientsCount} socket connections open`,
      ];
    },
  };
}
