import type { Logger } from '../../../logger';
import type { Db } from '../../../store/db';
import type { Clock } from '../../clock';
import type { Scheduler } from '../../scheduler';
import type { SiteDirectory } from '../../site-directory';
import { FollowUpConsent } from '../opt-out';
import { EmailOutbox } from './email-outbox';
import { linkSecret } from './links';
import type { MailTransport } from './mail-transport';
import { TranscriptRequests } from './transcript-requests';
import { Unsubscribes } from './unsubscribes';
import { UnseenSweep } from './unseen-sweep';

export type { MailTransport, OutgoingMail } from './mail-transport';
export { smtpTransport } from './mail-transport';

/** How often unseen agent messages are looked for and due emails sent. */
export const EMAIL_TICK_MS = 15_000;

export interface EmailFollowUpsDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  sites: SiteDirectory;
  scheduler: Scheduler;
  transport: MailTransport;
  /** The From header, `Parley <no-reply@example.com>`. */
  from: string;
  /** The server's address as visitors reach it (unsubscribe links). */
  publicUrl: string;
  /** `EMAIL_LINK_SECRET`; when absent, one is made once and kept in the store. */
  secret?: string;
}

export interface EmailFollowUps {
  /** Starts the timer that sweeps unseen messages and delivers the outbox. */
  start(): void;
  /** Stops the timer, waits for the run in progress and closes the transport. */
  stop(): Promise<void>;
  /** One sweep and one delivery run now (after the one in progress); what the timer does. */
  tick(): Promise<void>;
  /** Resolves when no run is in progress. */
  settled(): Promise<void>;
  /** The visitor's "email me this conversation". */
  requestTranscript(contactId: string, payload: unknown): Promise<{ queued: true }>;
  unsubscribes: Unsubscribes;
}

/**
 * Email where the chat cannot reach: agent messages a visitor has not seen within the
 * site's delay, and transcripts on request, written to a durable outbox and delivered
 * with retries by whichever node's worker claims them first.
 */
export async function createEmailFollowUps(deps: EmailFollowUpsDeps): Promise<EmailFollowUps> {
  const { db, clock, log, sites } = deps;
  const secret = await linkSecret(db, deps.secret, clock.now().toISOString());
  const sweep = new UnseenSweep(db, clock, sites, log);
  const outbox = new EmailOutbox({ db, clock, sites, transport: deps.transport, log, from: deps.from, publicUrl: deps.publicUrl, secret });
  const transcripts = new TranscriptRequests(db, clock);
  const unsubscribes = new Unsubscribes(db, new FollowUpConsent(db, clock), sites, secret);

  let stopTimer: (() => void) | null = null;
  let stopped = false;
  // runs one after another: a slow SMTP server never has two runs sending side by side
  let chain: Promise<void> = Promise.resolve();
  const deliver = async (): Promise<void> => {
    try {
      // drain what is due, a batch at a time, while the store keeps answering others between batches
      while (!stopped && (await outbox.deliverDue()) > 0);
    } catch (error) {
      log.error({ err: error }, 'email delivery failed');
    }
  };
  const run = async (): Promise<void> => {
    if (stopped) return;
    try {
      const swept = await sweep.run();
      if (swept.queued > 0) log.debug(swept, 'unseen messages queued for email');
    } catch (error) {
      log.error({ err: error }, 'unseen-message sweep failed');
    }
    await deliver();
  };
  const enqueue = (work: () => Promise<void>): Promise<void> => {
    chain = chain.then(work);
    return chain;
  };
  // at most one run waits behind the one in progress: a slow SMTP server does not pile up timer ticks
  let waiting: Promise<void> | null = null;
  const tick = (): Promise<void> => {
    waiting ??= enqueue(async () => {
      waiting = null;
      await run();
    });
    return waiting;
  };

  return {
    start() {
      stopTimer ??= deps.scheduler.every(EMAIL_TICK_MS, () => void tick());
    },
    async stop() {
      stopTimer?.();
      stopTimer = null;
      stopped = true;
      await chain;
      deps.transport.close();
    },
    tick,
    settled: () => chain,
    async requestTranscript(contactId, payload) {
      const queued = await transcripts.request(contactId, payload);
      // sent at once rather than at the next tick
      void enqueue(async () => {
        if (!stopped) await deliver();
      });
      return queued;
    },
    unsubscribes,
  };
}
