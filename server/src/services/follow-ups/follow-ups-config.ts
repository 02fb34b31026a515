import * as v from 'valibot';

const HourMinute = v.pipe(v.string('expected a time such as 08:00'), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time such as 08:00'));

/**
 * A site's follow-ups: the daytime window in the contact's own time zone outside which the
 * console offers to schedule a follow-up for their morning (or the site's business hours,
 * with `businessHours: true`), and how long an agent's message may wait unseen before it is
 * emailed to a visitor who gave their email (when the server has `SMTP_URL`).
 */
export const FollowUpsConfigSchema = v.object({
  daytime: v.optional(
    v.object({
      start: v.optional(HourMinute, '08:00'),
      end: v.optional(HourMinute, '21:00'),
      /** Use the site's business hours (autoReplies.hours) instead of the window. */
      businessHours: v.optional(v.boolean('expected true or false'), false),
    }),
    {},
  ),
  email: v.optional(
    v.object({
      /** Minutes an agent's message waits unseen before it is emailed; 0 sends at the next sweep. */
      delayMinutes: v.optional(v.pipe(v.number('expected a number of minutes'), v.integer('expected whole minutes'), v.minValue(0), v.maxValue(10080)), 10),
      /** Messages before the unseen ones shown for context. */
      contextMessages: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(20)), 3),
    }),
    {},
  ),
});
export type FollowUpsConfig = v.InferOutput<typeof FollowUpsConfigSchema>;
export const defaultFollowUps: FollowUpsConfig = v.parse(FollowUpsConfigSchema, {});
