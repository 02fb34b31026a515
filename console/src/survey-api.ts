import type {
  FieldType,
  HiddenSource,
  Localized,
  PublicSiteConfig,
  PublicTheme,
  SiteSummary,
  SurveySetting as GenericSurveySetting,
} from '../../protocol/src/index';
import { request } from './api';

/** A survey field as the config file writes it (`sites.<id>.prechat.fields[i]`). */
export interface SurveyFieldValue {
  key: string;
  type: FieldType;
  label: Localized;
  required?: boolean;
  placeholder?: Localized;
  help?: Localized;
  options?: { value: string; label: Localized }[];
  maxLength?: number;
  default?: string | boolean;
  pattern?: string;
  patternError?: Localized;
  source?: HiddenSource;
}

/** The texts a site owner sets; each may be given once or per language. */
export const SURVEY_TEXTS = ['title', 'greeting', 'launcher', 'startButton', 'placeholder', 'offlineTitle'] as const;
export type SurveyTextKey = (typeof SURVEY_TEXTS)[number];

/**
 * The part of a site the survey editor changes, as the config file writes it:
 * languages, texts, looks, fields and consent. The server checks it with the
 * config file's schema (test/unit/survey-editor-model.test.ts keeps the two in step).
 */
export interface SurveyValue {
  defaultLanguage: string;
  languages?: string[];
  texts: Partial<Record<SurveyTextKey, Localized>>;
  theme: PublicTheme;
  prechat: {
    fields: SurveyFieldValue[];
    consent: { required: boolean; text: Localized; policyUrl: string | null } | null;
  };
}

export type { SiteSummary };

/** A site's survey as the server holds it (protocol's shape, with the console's type of the value). */
export type SurveySetting = GenericSurveySetting<SurveyValue>;

/** What the widget would receive for a draft, and its colour warnings. */
export interface SurveyPreview {
  config: PublicSiteConfig;
  warnings: string[];
}

/** The console's REST calls for the admins' survey editor. Only models use it. */
export interface SurveyApi {
  sites(): Promise<SiteSummary[]>;
  survey(siteId: string): Promise<SurveySetting>;
  /**
   * Saves a draft; the server checks it like the config file and answers with issues by path when it is wrong,
   * and with 409 `conflict` when the stored survey's `updatedAt` is no longer `expectedUpdatedAt` (null: the file's).
   */
  save(siteId: string, value: unknown, expectedUpdatedAt: string | null): Promise<SurveySetting>;
  /** Drops the saved edit: the config file's survey applies again. */
  reset(siteId: string): Promise<SurveySetting>;
  /** The widget's config for a draft in a language, stored nowhere. */
  preview(siteId: string, value: unknown, lang: string): Promise<SurveyPreview>;
}

/** Builds the client against `base` (same origin by default). */
export function createSurveyApi(base = '/api/v1'): SurveyApi {
  const call = <T>(method: string, path: string, body?: unknown) => request<T>(base, method, path, body);
  const site = (id: string) => `/admin/sites/${encodeURIComponent(id)}/survey`;
  return {
    async sites() {
      return (await call<{ sites: SiteSummary[] }>('GET', '/admin/sites')).sites;
    },
    async survey(siteId) {
      return (await call<{ setting: SurveySetting }>('GET', site(siteId))).setting;
    },
    async save(siteId, value, expectedUpdatedAt) {
      return (await call<{ setting: SurveySetting }>('PUT', site(siteId), { value, expectedUpdatedAt })).setting;
    },
    async reset(siteId) {
      // a JSON body marks the request as not coming from a cross-site form
      return (await call<{ setting: SurveySetting }>('DELETE', site(siteId), {})).setting;
    },
    async preview(siteId, value, lang) {
      return call<SurveyPreview>('POST', `${site(siteId)}/preview?lang=${encodeURIComponent(lang)}`, { value });
    },
  };
}
