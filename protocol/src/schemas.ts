import * as v from 'valibot';
import { Limits } from './limits';

/** valibot schemas of every socket event payload and HTTP body that is not the survey. */

export const IdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[A-Za-z0-9_-]+$/, 'expected an id'));

export const ClientIdSchema = v.pipe(
  v.string(),
  v.minLength(8, 'client id too short'),
  v.maxLength(Limits.clientId, 'client id too long'),
  v.regex(/^[A-Za-z0-9_-]+$/, 'expected letters, digits, - or _'),
);

/** Message text: trimmed, not empty, not longer than the limit. Rendered as text only. */
export const MessageTextSchema = v.pipe(
  v.string('expected text'),
  v.trim(),
  v.nonEmpty('message is empty'),
  v.maxLength(Limits.messageText, `message is longer than ${Limits.messageText} characters`),
);

export const SendMessageSchema = v.object({
  conversationId: IdSchema,
  clientId: ClientIdSchema,
  text: MessageTextSchema,
});
export type SendMessage = v.InferOutput<typeof SendMessageSchema>;

export const JoinConversationSchema = v.object({
  conversationId: IdSchema,
  /** Highest sequence number the client holds; the answer holds what came after. */
  afterSeq: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
});
export type JoinConversation = v.InferOutput<typeof JoinConversationSchema>;

export const RateConversationSchema = v.object({
  conversationId: IdSchema,
  score: v.pipe(v.number('expected a score from 1 to 5'), v.integer('expected a score from 1 to 5'), v.minValue(1, 'expected a score from 1 to 5'), v.maxValue(5, 'expected a score from 1 to 5')),
  comment: v.optional(v.nullable(v.pipe(v.string('expected text'), v.trim(), v.maxLength(Limits.ratingComment, `a comment may have at most ${Limits.ratingComment} characters`))), null),
});
export type RateConversation = v.InferOutput<typeof RateConversationSchema>;


export const EmailSchema = v.pipe(v.string('expected an email'), v.trim(), v.toLowerCase(), v.maxLength(254), v.email('expected an email'));

export const PasswordSchema = v.pipe(
  v.string('expected a password'),
  v.minLength(10, 'a password needs at least 10 characters'),
  v.maxLength(200, 'a password may have at most 200 characters'),
);

export const LoginSchema = v.object({
  email: EmailSchema,
  password: v.pipe(v.string('expected a password'), v.minLength(1, 'expected a password'), v.maxLength(200)),
});
export type Login = v.InferOutput<typeof LoginSchema>;

export const SetupSchema = v.object({
  token: v.pipe(v.string(), v.minLength(16), v.maxLength(128)),
  name: v.pipe(v.string('expected a name'), v.trim(), v.nonEmpty('expected a name'), v.maxLength(100)),
  email: EmailSchema,
  password: PasswordSchema,
});
export type Setup = v.InferOutput<typeof SetupSchema>;

/** `POST /api/v1/agents/invites` (admins): who to invite, and as what. */
export const CreateInviteSchema = v.object({
  email: EmailSchema,
  role: v.optional(v.picklist(['admin', 'agent'], 'expected admin or agent'), 'agent'),
});
export type CreateInvite = v.InferOutput<typeof CreateInviteSchema>;

/** `POST /api/v1/auth/invite`: the invited agent's link token, name and password. */
export const AcceptInviteSchema = v.object({
  token: v.pipe(v.string('expected the link'), v.minLength(16, 'this link is not whole'), v.maxLength(128)),
  name: v.pipe(v.string('expected a name'), v.trim(), v.nonEmpty('expected a name'), v.maxLength(100, 'a name may have at most 100 characters')),
  password: PasswordSchema,
});

/** An invitation as admins see it (never its link, but at creation). */
export interface AgentInvite {
  id: string;
  email: string;
  role: 'admin' | 'agent';
  createdAt: string;
  expiresAt: string;
}
