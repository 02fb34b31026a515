import * as v from 'valibot';

/**
 * Webhooks: what admins subscribe to, what each delivery carries, and the admin API's shapes
 * (docs/WEBHOOKS.md). Deliveries follow the Standard Webhooks specification.
 */
export const WebhookEventTypes = [
  'contact.created',
  'contact.updated',
  'conversation.created',
  'conversation.assigned',
  'conversation.closed',
  'conversation.reopened',
  'message.created',
  'rating.submitted',
] as const;
export type WebhookEventType = (typeof WebhookEventTypes)[number];

export interface WebhookContact {
  id: string;
  siteId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  attributes: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookConversation {
  id: string;
  siteId: string;
  contactId: string;
  status: 'open' | 'closed';
  inquiryType: string | null;
  teamId: string | null;
  assigneeId: string | null;
  createdAt: string;
  closedAt: string | null;
}

export interface WebhookMessage {
  id: string;
  conversationId: string;
  seq: number;
  authorType: 'visitor' | 'agent' | 'bot' | 'system';
  authorId: string | null;
  authorName: string | null;
  text: string;
  createdAt: string;
}

export interface WebhookRating {
  conversationId: string;
  score: number;
  comment: string | null;
  ratedAt: string;
}

/** The body of every delivery: `{ type, timestamp, data }`, as Standard Webhooks recommends. */
export type WebhookPayload =
  | { type: 'contact.created' | 'contact.updated'; timestamp: string; data: { contact: WebhookContact } }
  | { type: 'conversation.created' | 'conversation.closed' | 'conversation.reopened'; timestamp: string; data: { conversation: WebhookConversation; actorId: string | null } }
  | { type: 'conversation.assigned'; timestamp: string; data: { conversation: WebhookConversation; actorId: string | null; kind: string } }
  | { type: 'message.created'; timestamp: string; data: { message: WebhookMessage; conversation: { id: string; siteId: string; contactId: string } } }
  | { type: 'rating.submitted'; timestamp: string; data: { rating: WebhookRating; conversation: WebhookConversation } };

/** An endpoint as the admin API shows it (never its secret, but at creation). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  enabled: boolean;
  allowPrivateNetwork: boolean;
  /** Why it is disabled: by an admin, or after failing for too long. */
  disabledReason: string | null;
  /** Since when its deliveries fail without a success in between. */
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDelivery {
  id: string;
  /** The `webhook-id` header: the same for every attempt of this delivery. */
  eventId: string;
  eventType: WebhookEventType;
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastResponse: string | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  payload: WebhookPayload;
}

const url = v.pipe(
  v.string('a URL'),
  v.trim(),
  v.maxLength(2000, 'at most 2000 characters'),
  v.check((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'an http or https URL without credentials'),
);
const events = v.pipe(
  v.array(v.picklist(WebhookEventTypes, `one of ${WebhookEventTypes.join(', ')}`), 'a list of event types'),
  v.minLength(1, 'at least one event type'),
  v.check((list) => new Set(list).size === list.length, 'each event type once'),
);
const description = v.nullable(v.pipe(v.string('text'), v.trim(), v.maxLength(200, 'at most 200 characters')));

export const CreateWebhookSchema = v.strictObject({
  url,
  events,
  description: v.optional(description),
  /** Allows a private, loopback or link-local target (an on-premises receiver). */
  allowPrivateNetwork: v.optional(v.boolean('true or false')),
});
export type CreateWebhook = v.InferOutput<typeof CreateWebhookSchema>;

export const UpdateWebhookSchema = v.strictObject({
  url: v.optional(url),
  events: v.optional(events),
  description: v.optional(description),
  allowPrivateNetwork: v.optional(v.boolean('true or false')),
  enabled: v.optional(v.boolean('true or false')),
});
export type UpdateWebhook = v.InferOutput<typeof UpdateWebhookSchema>;
