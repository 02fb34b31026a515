import * as v from 'valibot';
import { FieldDefSchema, LabelInputSchema, LocalizedSchema } from '../../../protocol/src/index';
import { patternProblems } from '../domain/keyword-rules';
import { RoutingConfigSchema } from './routing';
import { GlobalAutoRepliesSchema, SiteAutoRepliesSchema } from './auto-replies';
import { AttachmentsConfigSchema } from '../services/attachments/attachment-config';
import { FollowUpsConfigSchema } from '../services/follow-ups/follow-ups-config';
import { RetentionConfigSchema } from '../services/personal-data/retention-config';
import { IdentityConfigSchema } from '../services/identity/identity';
import { GlobalLimitsSchema, SiteLimitsSchema } from '../services/limits/limits-config';

const Colour = v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour such as #2563eb'));
const LanguageTag = v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as en or zh-CN'));
const Offset = v.pipe(v.number('expected a number of pixels'), v.integer('expected whole pixels'), v.minValue(0), v.maxValue(200));

/** A survey field as the owner writes it, its pattern checked to run in linear-ish time on the server. */
export const SurveyFieldSchema = v.pipe(
  FieldDefSchema,
  v.forward(
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed || dataset.value.pattern === undefined) return;
      for (const problem of patternProblems(dataset.value.pattern)) addIssue({ message: problem });
    }),
    ['pattern'],
  ),
);

const Origin = v.pipe(v.string(), v.regex(/^(\*|https?:\/\/[^/\s]+)$/, 'expected an origin such as https://shop.example or *'));

export const SiteConfigSchema = v.object({
  name: v.pipe(v.string(), v.nonEmpty(), v.maxLength(200)),
  /** Origins whose pages may embed the widget; the server's own origin is always allowed. */
  allowedOrigins: v.optional(v.array(Origin), []),
  defaultLanguage: v.optional(LanguageTag, 'en'),
  /**
   * The languages the widget may be shown in. Without it, every language the site's texts are written in;
   * the widget's own words exist in en, es, de, fr, pt, ru, zh-CN, zh-TW, ja and ar.
   */
  languages: v.optional(v.pipe(v.array(LanguageTag), v.nonEmpty('expected at least one language'), v.maxLength(50))),
  texts: v.optional(
    v.object({
      title: v.optional(LocalizedSchema, 'Chat with us'),
      greeting: v.optional(LocalizedSchema, 'Hi! Tell us a little about you and we will be right with you.'),
      launcher: v.optional(LocalizedSchema, 'Chat with us'),
      startButton: v.optional(LocalizedSchema, 'Start chat'),
      placeholder: v.optional(LocalizedSchema, 'Write a message…'),
      /** The title while the team is away (outside business hours, or nobody online). */
      offlineTitle: v.optional(LocalizedSchema, 'Leave us a message'),
    }),
    {},
  ),
  theme: v.optional(
    v.object({
      primary: v.optional(Colour, '#2563eb'),
      onPrimary: v.optional(Colour, '#ffffff'),
      position: v.optional(v.picklist(['left', 'right'], 'expected left or right'), 'right'),
      /** Launcher distance from the side and from the bottom, in pixels. */
      offsetX: v.optional(Offset, 20),
      offsetY: v.optional(Offset, 20),
      /** The chat icon alone, or the icon with the launcher text. */
      launcher: v.optional(v.picklist(['icon', 'text'], 'expected icon or text'), 'icon'),
      /** Light or dark panel; auto follows the visitor's system. */
      mode: v.optional(v.picklist(['light', 'dark', 'auto'], 'expected light, dark or auto'), 'light'),
    }),
    {},
  ),
  prechat: v.optional(
    v.object({
      fields: v.pipe(
        v.array(SurveyFieldSchema),
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
  /** Agents see a live preview of what the visitor is typing (off by default: it shows unsent words). */
  typingPreview: v.optional(v.boolean(), false),
  /** Follow-ups after a chat: the contact's daytime window, and the unseen-message email's delay (see follow-ups-config.ts). */
  followUps: v.optional(FollowUpsConfigSchema, {}),
  /** Personal data: delete closed conversations after this many days (off unless set). */
  retention: v.optional(RetentionConfigSchema, {}),
  /** Abuse limits per client address and per visitor: chats started, messages, typing, files, ratings, page views, unread checks (see limits-config.ts). */
  limits: v.optional(SiteLimitsSchema, {}),
  /** Verified identity: `required` refuses visitors without one (the secret is IDENTITY_SECRET_<SITE> in the environment). */
  identity: v.optional(IdentityConfigSchema, {}),
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
  /** The label catalogue agents pick from; written to the store at start-up where a name is missing (admins edit it in the console). */
  labels: v.optional(v.pipe(v.array(LabelInputSchema), v.maxLength(200, 'at most 200 labels')), []),
  /** Files visitors and agents attach: the largest size in bytes and the content types allowed (checked by their bytes). */
  attachments: v.optional(AttachmentsConfigSchema, {}),
  /** Limits that are not per site: messages per agent (see limits-config.ts). */
  limits: v.optional(GlobalLimitsSchema, {}),
});
export type Config = v.InferOutput<typeof ConfigSchema>;
