import * as v from 'valibot';

const MINUTE = 60;
const HOUR = 60 * MINUTE;

const Count = (what: string) =>
  v.pipe(v.number(`expected a number of ${what}`), v.integer(`expected a whole number of ${what}`), v.minValue(1, `expected at least 1 ${what.replace(/s$/, '')}`), v.maxValue(1e12, 'expected at most 1000000000000'));
const Window = v.pipe(
  v.number('expected a number of seconds'),
  v.integer('expected whole seconds'),
  v.minValue(1, 'expected at least 1 second'),
  v.maxValue(7 * 24 * HOUR, 'expected at most a week (604800 seconds)'),
);

/** A rule: at most `perAddress` from one client address and `perVisitor` from one visitor within `windowSeconds`. */
function rule(perAddress: number, perVisitor: number, windowSeconds: number, what = 'events') {
  return v.optional(
    v.strictObject(
      {
        perAddress: v.optional(Count(what), perAddress),
        perVisitor: v.optional(Count(what), perVisitor),
        windowSeconds: v.optional(Window, windowSeconds),
      },
      'unknown setting: expected perAddress, perVisitor or windowSeconds',
    ),
    {},
  );
}

/**
 * What one client address (counted per site) and one visitor may do, each within its window.
 * The defaults let a person chat at any pace a person keeps and stop a script within seconds.
 */
export const SiteLimitsSchema = v.strictObject(
  {
  /** Survey submissions that start a conversation; refused and invalid ones count too. */
  conversations: rule(20, 10, HOUR, 'conversations'),
  /** Visitor messages; `burst` caps a visitor's short spurt within the longer window. */
  messages: v.optional(
    v.strictObject(
      {
        perAddress: v.optional(Count('messages'), 120),
        perVisitor: v.optional(Count('messages'), 30),
        windowSeconds: v.optional(Window, MINUTE),
        burst: v.optional(
          v.strictObject({ perVisitor: v.optional(Count('messages'), 10), windowSeconds: v.optional(Window, 5) }, 'unknown setting: expected perVisitor or windowSeconds'),
          {},
        ),
      },
      'unknown setting: expected perAddress, perVisitor, windowSeconds or burst',
    ),
    {},
  ),
  /** Typing events; the excess is dropped without an answer. */
  typing: rule(20, 5, 1),
  /** Bytes of files visitors attach. */
  attachmentBytes: rule(200 * 1024 * 1024, 50 * 1024 * 1024, HOUR, 'bytes'),
  /** Ratings of closed conversations (a visitor may change theirs). */
  ratings: rule(30, 10, HOUR, 'ratings'),
  /** Pages a visitor's widget reports seen. */
  pageViews: rule(240, 60, MINUTE, 'page views'),
  /** The loader's unread-badge checks of a returning visitor. */
  unreadChecks: rule(120, 30, MINUTE, 'checks'),
  /** The page's identity calls (`ChatWidget.setUser` with a hash, `setAttributes`). */
  identity: rule(60, 20, MINUTE, 'calls'),
  },
  'unknown limit: expected conversations, messages, typing, attachmentBytes, ratings, pageViews, unreadChecks or identity',
);
export type SiteLimits = v.InferOutput<typeof SiteLimitsSchema>;
/** The visitor actions that have limits. */
export type VisitorAction = keyof SiteLimits;
export const defaultSiteLimits: SiteLimits = v.parse(SiteLimitsSchema, {});

/** Limits on agents, the same for every site. */
export const AgentLimitsSchema = v.strictObject(
  {
    /** Messages one agent sends, over all their tabs. */
    messages: v.optional(
      v.strictObject({ perAgent: v.optional(Count('messages'), 120), windowSeconds: v.optional(Window, MINUTE) }, 'unknown setting: expected perAgent or windowSeconds'),
      {},
    ),
  },
  'unknown limit: expected messages',
);

/** The top-level `limits` of the config file. */
export const GlobalLimitsSchema = v.strictObject({ agents: v.optional(AgentLimitsSchema, {}) }, 'unknown limit: expected agents');
export type GlobalLimits = v.InferOutput<typeof GlobalLimitsSchema>;
export const defaultGlobalLimits: GlobalLimits = v.parse(GlobalLimitsSchema, {});
