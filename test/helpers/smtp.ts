import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export const SMTP_USER = { user: 'parley', pass: 's3cret pass' };

/**
 * A real SMTP server on 127.0.0.1 for tests: plain text (no STARTTLS), a login required
 * from the URL's credentials, every accepted email parsed into `received`. It can be
 * stopped and started again on the same port, as a mail server that goes away.
 */
export async function startSmtp() {
  const received: ParsedMail[] = [];
  let server: SMTPServer | null = null;
  let port = 0;

  const open = () =>
    new Promise<void>((resolve, reject) => {
      const next = new SMTPServer({
        authOptional: true,
        allowInsecureAuth: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onAuth(auth, _session, callback) {
          if (auth.username === SMTP_USER.user && auth.password === SMTP_USER.pass) callback(null, { user: auth.username });
          else callback(new Error('bad login'));
        },
        onData(stream, _session, callback) {
          simpleParser(stream).then(
            (mail) => {
              received.push(mail);
              callback();
            },
            (error: Error) => callback(error),
          );
        },
      });
      next.on('error', () => {});
      next.server.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        port = (next.server.address() as AddressInfo).port;
        server = next;
        resolve();
      });
    });

  await open();
  return {
    received,
    get port() {
      return port;
    },
    /** `smtp://user:pass@127.0.0.1:<port>`, credentials percent-encoded. */
    get url() {
      return `smtp://${encodeURIComponent(SMTP_USER.user)}:${encodeURIComponent(SMTP_USER.pass)}@127.0.0.1:${port}`;
    },
    /** Stops listening; the port stays reserved for `start`. */
    stop: () =>
      new Promise<void>((resolve) => {
        const current = server;
        server = null;
        if (!current) return resolve();
        current.close(() => resolve());
      }),
    /** Listens again on the same port. */
    start: open,
  };
}

export type TestSmtp = Awaited<ReturnType<typeof startSmtp>>;
