import * as v from 'valibot';
import { EmailSchema, IdSchema, PasswordSchema } from './schemas';

/** Payload schemas of routing, assignment, presence and agent administration. */

export const PRESENCES = ['online', 'away', 'offline'] as const;

/** Priority names as the config writes them; stored as their index (0 = low … 3 = urgent). */
export const PRIORITY_NAMES = ['low', 'normal', 'high', 'urgent'] as const;

export const TeamIdSchema = v.pipe(
  v.string('expected a team id'),
  v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expected a team id of lowercase letters, digits and -'),
);

export const LanguageTagSchema = v.pipe(
  v.string('expected a language tag'),
  v.maxLength(35),
  v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as en or pt-BR'),
);

export const CapacitySchema = v.pipe(
  v.number('expected a number'),
  v.integer('expected a whole number'),
  v.minValue(1, 'capacity is at least 1'),
  v.maxValue(100, 'capacity is at most 100'),
);

export const ConversationRefSchema = v.object({ conversationId: IdSchema });
export type ConversationRef = v.InferOutput<typeof ConversationRefSchema>;

export const AssignConversationSchema = v.object({ conversationId: IdSchema, agentId: IdSchema });
export type AssignConversation = v.InferOutput<typeof AssignConversationSchema>;

export const TransferConversationSchema = v.pipe(
  v.object({
    conversationId: IdSchema,
    agentId: v.optional(IdSchema),
    teamId: v.optional(TeamIdSchema),
    note: v.optional(v.pipe(v.string('expected text'), v.trim(), v.maxLength(500, 'a note may have at most 500 characters')), ''),
  }),
  v.check((t) => (t.agentId === undefined) !== (t.teamId === undefined), 'name either an agent or a team'),
);
export type TransferConversation = v.InferOutput<typeof TransferConversationSchema>;

export const SetPresenceSchema = v.object({ status: v.picklist(PRESENCES, 'expected online, away or offline') });
export type SetPresence = v.InferOutput<typeof SetPresenceSchema>;

const AgentName = v.pipe(v.string('expected a name'), v.trim(), v.nonEmpty('expected a name'), v.maxLength(100));
const Languages = v.pipe(v.array(LanguageTagSchema), v.maxLength(20, 'at most 20 languages'));
const Teams = v.pipe(v.array(TeamIdSchema), v.maxLength(50, 'at most 50 teams'));

/** `POST /api/v1/agents` (admins only). */
export const CreateAgentSchema = v.object({
  email: EmailSchema,
  name: AgentName,
  password: PasswordSchema,
  role: v.optional(v.picklist(['admin', 'agent'], 'expected admin or agent'), 'agent'),
  languages: v.optional(Languages),
  /** Absent or null: inherit the config's, the team's or the global default. */
  capacity: v.optional(v.nullable(CapacitySchema)),
  teams: v.optional(Teams),
});
export type CreateAgent = v.InferOutput<typeof CreateAgentSchema>;

/** `PATCH /api/v1/agents/:id` (admins only): each key present is changed; `capacity: null` restores the default. */
export const UpdateAgentSchema = v.object({
  name: v.optional(AgentName),
  password: v.optional(PasswordSchema),
  role: v.optional(v.picklist(['admin', 'agent'], 'expected admin or agent')),
  languages: v.optional(Languages),
  capacity: v.optional(v.nullable(CapacitySchema)),
  teams: v.optional(Teams),
  /** false deactivates the agent (sessions and sockets end at once); true lets them back in. */
  active: v.optional(v.boolean('expected true or false')),
});
export type UpdateAgent = v.InferOutput<typeof UpdateAgentSchema>;
