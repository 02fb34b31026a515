import { type Server as HttpServer, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as IoServer } from 'socket.io';
import type { Config } from './config/schema';
import { createHttpApp } from './http/app';
import type { Logger } from './logger';
import { createRealtime } from './realtime/io';
import { AuthService } from './services/auth-service';
import { type Clock, systemClock } from './services/clock';
import { ConversationService } from './services/conversation-service';
import { type Notifier, silentNotifier } from './services/notifier';
import { SiteDirectory } from './services/site-directory';
import { VisitorService } from './services/visitor-service';
import { type Db, openStore } from './store/db';

export interface ParleyOptions {
  config: Config;
  log: Logger;
  dataDir: string;
  clock?: Clock;
  secureCookies?: boolean;
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  publicDir?: string;
}

export interface Parley {
  http: HttpServer;
  io: IoServer;
  db: Db;
  auth: AuthService;
  conversations: ConversationService;
  visitors: VisitorService;
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

  // services are built before the sockets exist; they speak through this relay
  let target: Notifier = silentNotifier;
  const relay: Notifier = {
    messageCreated: (m) => target.messageCreated(m),
    conversationChanged: (s, v) => target.conversationChanged(s, v),
    agentSessionEnded: (h) => target.agentSessionEnded(h),
  };
  const conversations = new ConversationService(db, relay, clock, log);
  const visitors = new VisitorService(db, sites, conversations, clock);
  const auth = new AuthService(db, relay, clock);

  const app = createHttpApp({
    log,
    db,
    sites,
    auth,
    visitors,
    conversations,
    secureCookies: options.secureCookies ?? false,
    ...(options.publicDir ? { publicDir: options.publicDir } : {}),
  });
  const http = createServer(app);
  const realtime = createRealtime(http, { log, sites, auth, visitors, conversations });
  target = realtime.notifier;

  return {
    http,
    io: realtime.io,
    db,
    auth,
    conversations,
    visitors,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => resolve((http.address() as AddressInfo).port));
      });
    },
    async close() {
      await conversations.settled();
      await new Promise<void>((resolve) => realtime.io.close(() => resolve()));
      await db.destroy();
    },
  };
}
