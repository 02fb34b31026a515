import * as v from 'valibot';

/** How long a site keeps closed conversations: absent or null keeps them; a number of days deletes older ones every hour. */
export const RetentionConfigSchema = v.object({
  closedConversationDays: v.optional(
    v.nullable(v.pipe(v.number('expected a number of days'), v.integer('expected whole days'), v.minValue(1, 'expected at least 1 day'), v.maxValue(3650, 'expected at most 3650 days'))),
    null,
  ),
});
