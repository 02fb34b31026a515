import * as v from 'valibot';
import { FieldDefSchema, LocalizedSchema } from '../../../protocol/src/index';
import { RoutingConfigSchema } from './routing';
import { GlobalAutoRepliesSchema, SiteAutoRepliesSchema } from './auto-replies';

const Colour = v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour such as #2563eb'));
const Origin = v.pipe(v.string(), v.regex(/^(\*|https?:\/\/[^/\s]+)$/, 'expected an origin such as https://shop.example or *'));

export const SiteConfigSchema = v.object({
  name: v.pipe(v.string(), v.nonEmpty(), v.maxLength(200)),
  /** Origins whose pages may embed the widget; the server's own origin is always allowed. */
  allowedOrigins: v.optional(v.array(Origin), []),
  defaultLanguage: v.optional(v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)), 'en'),
  texts: v.optional(
    v.object({
      title: v.optional(LocalizedSchema, 'Chat with us'),
      greeting: v.optional(LocalizedSchema, 'Hi! Tell us a little about you and we will be right with you.'),
      launcher: v.optional(LocalizedSchema, 'Chat with us'),
      startButton: v.optional(LocalizedSchema, 'Start chat'),
      placeholder: v.optional(LocalizedSchema, 'Write a message…'),
    }),
    {},
  ),
  theme: v.optional(
    v.object({
      primary: v.optional(Colour, '#2563eb'),
      onPrimary: v.optional(Colour, '#ffffff'),
      position: v.optional(v.picklist(['left', 'right']), 'right'),
    }),
    {},
  ),
  prechat: v.optional(
    v.object({
      fields: v.pipe(
        v.array(FieldDefSchema),
        v.maxLength(50),
        v.check((fields) => new Set(fields.map((f) => f.key)).size === fields.length, 'field keys must be unique'),
      ),
      consent: v.optional(
        v.nullable(
          v.object({
            required: v.optional(v.boolean(), true),
            text: LocalizedSchema,
            policyUrl: v.optional(v.nullable(v.pipe(v.string(), v.url('expected a URL'))), null),
          }),
        ),
        null,
      ),
    }),
    { fields: [] },
  ),
  /** Welcome, away and busy messages, business hours and profile, keyword rules (see config/auto-replies.ts). */
  autoReplies: v.optional(SiteAutoRepliesSchema),
});
export type SiteConfig = v.InferOutput<typeof SiteConfigSchema>;

export const ConfigSchema = v.object({
  sites: v.pipe(
    v.record(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expected a site id of lowercase letters, digits and -')), SiteConfigSchema),
    v.check((sites) => Object.keys(sites).length > 0, 'expected at least one site'),
  ),
  routing: v.optional(RoutingConfigSchema, {}),
  /** Named business-hours schedules, rules for every site and the agents' quick replies. */
  autoReplies: v.optional(GlobalAutoRepliesSchema, {}),
});
export type Config = v.InferOutput<typeof ConfigSchema>;
