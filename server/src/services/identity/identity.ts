import { createHmac, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';

/** A site's identity rule in the config file; the secret itself comes from the environment only. */
export const IdentityConfigSchema = v.object({
  /** Every identity-bearing call (starting, joining, sending, reading) needs a verified identity. */
  required: v.optional(v.boolean('expected true or false'), false),
});

/** The environment variable that holds a site's identity secret: `IDENTITY_SECRET_<SITE>` (`shop-eu` → `IDENTITY_SECRET_SHOP_EU`). */
export const identitySecretVariable = (siteId: string): string => `IDENTITY_SECRET_${siteId.toUpperCase().replaceAll('-', '_')}`;

/** The secrets of the sites that have one, from the environment. */
export function identitySecretsFrom(env: NodeJS.ProcessEnv, siteIds: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of siteIds) {
    const secret = env[identitySecretVariable(id)];
    if (secret) out[id] = secret;
  }
  return out;
}

/** What a site's backend computes for its signed-in user: HMAC-SHA256 of the user id, hex. */
export const identityHash = (userId: string, secret: string): string => createHmac('sha256', secret).update(userId).digest('hex');

/** Checks a claimed identity in constant time; false for anything malformed or a site without a secret. */
export function verifyIdentity(secret: string | undefined, userId: string, hash: string): boolean {
  if (!secret || !/^[0-9a-f]{64}$/i.test(hash)) return false;
  const expected = Buffer.from(identityHash(userId, secret), 'hex');
  return timingSafeEqual(expected, Buffer.from(hash.toLowerCase(), 'hex'));
}
