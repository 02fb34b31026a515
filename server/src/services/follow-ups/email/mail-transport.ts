import nodemailer from 'nodemailer';

/** One email, ready to send: the outbox renders it from the store at send time. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post). */
  headers: Record<string, string>;
  /** The Message-ID, the same on every attempt, so a receiver can drop a duplicate after a lost answer. */
  messageId: string;
}

/**
 * The seam between the outbox and whatever carries email: SMTP through nodemailer
 * here; a test or a provider's HTTP API can stand in.
 */
export interface MailTransport {
  /** Hands the email over; resolves once the server accepted it, rejects when it did not. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * SMTP from a URL: `smtp://user:pass@host:587` (STARTTLS when the server offers it) or
 * `smtps://user:pass@host:465` (TLS from the start); credentials percent-encoded in the URL.
 */
export function smtpTransport(url: string): MailTransport {
  const parsed = new URL(url);
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new Error('SMTP_URL must start with smtp:// or smtps://');
  // short timeouts: a hung server fails the attempt (retried later) well before the outbox's lease runs out
  const transporter = nodemailer.createTransport({ url, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  return {
    async send(mail) {
      const info = await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers,
        messageId: mail.messageId,
      });
      return { messageId: String(info.messageId ?? mail.messageId) };
    },
    close() {
      transporter.close();
    },
  };
}
