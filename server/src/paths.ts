import { fileURLToPath } from 'node:url';

/**
 * The project root. This file sits two levels below it both as source
 * (server/src/paths.ts) and once bundled (dist/server/main.js).
 */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
