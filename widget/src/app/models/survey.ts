import * as v from 'valibot';
import { buildAnswersSchema, type PublicField, type PublicSiteConfig } from '../../../../protocol/src/survey';

/** Inline errors by field key; `consent` for the consent box. */
export type FieldErrors = Record<string, string>;

/** Raw answers as read from the form: strings, and booleans for checkboxes. */
export type RawAnswers = Record<string, string | boolean>;

/**
 * Checks the answers to these fields (the ones the visitor was shown, plus hidden ones) with the
 * same schema the server uses, plus the consent box. Returns the parsed answers, or the first
 * error of each field.
 */
export function validateSurvey(
  config: PublicSiteConfig,
  fields: PublicField[],
  raw: RawAnswers,
  consent: boolean,
): { ok: true; answers: Record<string, string | number | boolean> } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const result = v.safeParse(buildAnswersSchema(fields, config.messages), raw);
  if (!result.success) {
    for (const issue of result.issues) {
      const key = issue.path?.[0]?.key;
      if (typeof key === 'string' && !errors[key]) errors[key] = issue.message;
    }
  }
  if (config.prechat.consent?.required && !consent) errors.consent = config.messages.consent;
  if (Object.keys(errors).length > 0 || !result.success) return { ok: false, errors };
  const answers: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(result.output)) {
    if (value !== undefined) answers[key] = value as string | number | boolean;
  }
  return { ok: true, answers };
}

/** Maps a server issue path (`answers.email`, `consent`) to the field key it belongs to. */
export const issueKey = (path: string): string => path.replace(/^answers\./, '');
