import * as v from 'valibot';

/** What an API key may do: `read` (GET), `write` (every other method), `admin` (admin-only routes, with read or write). */
export const ApiKeyScopes = ['read', 'write', 'admin'] as const;
export type ApiKeyScope = (typeof ApiKeyScopes)[number];

/** An API key as admins see it: never the key itself, which is shown once, at creation. */
export interface ApiKey {
  id: string;
  name: string;
  /** The key's first characters, to tell keys apart. */
  prefix: string;
  scopes: ApiKeyScope[];
  /** The admin who created it: the key acts with that agent's rights, within its scopes. */
  agentId: string;
  agentName: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const CreateApiKeySchema = v.strictObject({
  name: v.pipe(v.string('text'), v.trim(), v.minLength(1, 'a name'), v.maxLength(100, 'at most 100 characters')),
  scopes: v.pipe(
    v.array(v.picklist(ApiKeyScopes, `one of ${ApiKeyScopes.join(', ')}`), 'a list of scopes'),
    v.minLength(1, 'at least one scope'),
    v.check((list) => new Set(list).size === list.length, 'each scope once'),
  ),
});
