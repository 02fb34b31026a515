import * as v from 'valibot';
import {
  CapacitySchema,
  EmailSchema,
  FieldKeySchema,
  LanguageTagSchema,
  PRIORITY_NAMES,
  TeamIdSchema,
} from '../../../protocol/src/index';

/**
 * The `routing` section of the config: teams and their members, agents'
 * languages and capacity, presence timings and the ordered routing rules.
 * Cross references (a rule's team, a fallback team) are checked here too, so a
 * typo stops start-up with its exact path.
 */

const Seconds = (fallback: number) =>
  v.optional(v.pipe(v.number('expected seconds'), v.integer('expected whole seconds'), v.minValue(1), v.maxValue(7 * 86_400)), fallback);

const Priority = v.picklist(PRIORITY_NAMES, `expected one of ${PRIORITY_NAMES.join(', ')}`);
const Texts = (max: number) => v.pipe(v.array(v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(200))), v.nonEmpty('expected at least one value'), v.maxLength(max));
const Domain = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'expected a domain such as example.com'),
);

export const TeamConfigSchema = v.object({
  name: v.pipe(v.string(), v.trim(), v.nonEmpty('expected a name'), v.maxLength(100)),
  /** Agents by email; they may sign in later, once an admin creates their account. */
  members: v.optional(v.pipe(v.array(EmailSchema), v.maxLength(500)), []),
  /** Default capacity of this team's members (an agent's own capacity wins). */
  capacity: v.optional(CapacitySchema),
  assignment: v.optional(v.picklist(['least-busy', 'round-robin'], 'expected least-busy or round-robin'), 'least-busy'),
  /** Team that takes the waiting conversations when nobody here has been online for `fallbackAfterSeconds`. */
  fallback: v.optional(TeamIdSchema),
  fallbackAfterSeconds: Seconds(300),
  /** Name of a business-hours schedule (used by auto-replies). */
  businessHours: v.optional(v.pipe(v.string(), v.maxLength(100))),
});

export const AgentConfigSchema = v.object({
  email: EmailSchema,
  languages: v.optional(v.pipe(v.array(LanguageTagSchema), v.maxLength(20)), []),
  capacity: v.optional(CapacitySchema),
});

export const ConditionsSchema = v.object({
  inquiryType: v.optional(Texts(100)),
  language: v.optional(v.pipe(v.array(LanguageTagSchema), v.nonEmpty('expected at least one language'), v.maxLength(50))),
  country: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.toUpperCase(), v.regex(/^[A-Z]{2}$/, 'expected a two-letter country code such as ES'))),
      v.nonEmpty('expected at least one country'),
      v.maxLength(300),
    ),
  ),
  vip: v.optional(v.boolean('expected true or false')),
  contact: v.optional(v.picklist(['new', 'returning'], 'expected new or returning')),
  site: v.optional(Texts(100)),
  /** A URL pattern where `*` stands for anything, for example `*://shop.example/checkout*`. */
  pageUrl: v.optional(v.pipe(v.string(), v.nonEmpty(), v.maxLength(500))),
  /** Survey answers by field key: one value, or a list of accepted values. */
  fields: v.optional(
    v.record(FieldKeySchema, v.union([v.pipe(v.string(), v.maxLength(200)), v.number(), v.boolean(), Texts(100)], 'expected a value or a list of values')),
  ),
});

export const RuleConfigSchema = v.object({
  name: v.pipe(v.string(), v.trim(), v.nonEmpty('expected a name'), v.maxLength(80)),
  when: v.optional(ConditionsSchema, {}),
  team: TeamIdSchema,
  priority: v.optional(Priority, 'normal'),
});

export const VipConfigSchema = v.object({
  /** A contact attribute or survey answer that marks VIPs; with `values`, only those values do. */
  attribute: v.optional(v.object({ key: FieldKeySchema, values: v.optional(Texts(100)) })),
  labels: v.optional(Texts(100)),
  emailDomains: v.optional(v.pipe(v.array(Domain), v.maxLength(500))),
});

type PathItem = { type: 'object'; origin: 'value'; input: unknown; key: string | number; value: unknown };
const at = (...keys: (string | number)[]): PathItem[] => keys.map((key) => ({ type: 'object', origin: 'value', input: null, key, value: null }));

export const RoutingConfigSchema = v.pipe(
  v.object({
    teams: v.optional(v.record(TeamIdSchema, TeamConfigSchema), {}),
    agents: v.optional(v.pipe(v.array(AgentConfigSchema), v.maxLength(1000)), []),
    /** Capacity of an agent whose team and profile set none. */
    defaultCapacity: v.optional(CapacitySchema, 3),
    /** Returning contacts go back to their last agent when online with room. */
    stickyReturning: v.optional(v.boolean(), true),
    vip: v.optional(VipConfigSchema, {}),
    presence: v.optional(
      v.object({
        /** Online agents with no console tab left fall to away after this long. */
        awayAfterSeconds: Seconds(120),
        /** …and to offline after this long. */
        offlineAfterSeconds: Seconds(900),
        /** Open conversations of an offline agent return to the queue after this long. */
        offlineGraceSeconds: Seconds(300),
        /** How often each server checks presence, grace periods and fallbacks. */
        sweepSeconds: Seconds(5),
      }),
      {},
    ),
    rules: v.optional(v.pipe(v.array(RuleConfigSchema), v.maxLength(200)), []),
    /** The default rule: what catches conversations no rule matched. */
    default: v.optional(v.object({ team: v.optional(TeamIdSchema), priority: v.optional(Priority, 'normal') }), {}),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const routing = dataset.value;
    const known = (id: string | undefined) => id === undefined || Object.hasOwn(routing.teams, id);
    routing.rules.forEach((rule, i) => {
      if (!known(rule.team)) addIssue({ message: `unknown team "${rule.team}"`, path: at('rules', i, 'team') as never });
    });
    if (!known(routing.default.team)) addIssue({ message: `unknown team "${routing.default.team}"`, path: at('default', 'team') as never });
    const emails = new Set<string>();
    routing.agents.forEach((agent, i) => {
      if (emails.has(agent.email)) addIssue({ message: `${agent.email} is listed twice`, path: at('agents', i, 'email') as never });
      emails.add(agent.email);
    });
    for (const [id, team] of Object.entries(routing.teams)) {
      if (team.fallback === undefined) continue;
      if (!known(team.fallback)) {
        addIssue({ message: `unknown team "${team.fallback}"`, path: at('teams', id, 'fallback') as never });
        continue;
      }
      // a cycle would hand conversations round forever
      const seen = new Set([id]);
      for (let next: string | undefined = team.fallback; next !== undefined; next = routing.teams[next]?.fallback) {
        if (seen.has(next)) {
          addIssue({ message: `fallback teams form a cycle through "${next}"`, path: at('teams', id, 'fallback') as never });
          break;
        }
        seen.add(next);
      }
    }
  }),
);
export type RoutingConfig = v.InferOutput<typeof RoutingConfigSchema>;
export type TeamConfig = v.InferOutput<typeof TeamConfigSchema>;
export type RuleConfig = v.InferOutput<typeof RuleConfigSchema>;
