import { existsSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

/** Encodings the build writes beside each script, best first. */
const ENCODINGS = [
  { name: 'br', ext: '.br' },
  { name: 'gzip', ext: '.gz' },
] as const;

/**
 * Serves a script's precompressed twin (`app.js.br`, `app.js.gz`, written at build time at the
 * highest levels) to a browser that accepts it, with `Vary: Accept-Encoding`; anything else falls
 * through to the plain static files. A proxy that compresses on its own sees `Content-Encoding`
 * already set and leaves the body alone.
 */
export function precompressed(root: string, maxAge = 0) {
  // only files that exist are remembered: request paths are the client's, and misses must not grow the set
  const known = new Set<string>();
  const has = (file: string): boolean => {
    if (known.has(file)) return true;
    const hit = existsSync(file);
    if (hit) known.add(file);
    return hit;
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // the full path: under a mount point, req.path is only the rest
    let path: string;
    try {
      path = decodeURIComponent(req.originalUrl.split('?')[0] as string);
    } catch {
      // a malformed escape names no file of ours: the static files answer it (404)
      return next();
    }
    if (!path.endsWith('.js')) return next();
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) return next();
    res.vary('Accept-Encoding');
    // ours first: at equal weight, negotiation would keep the client's order (gzip before br)
    const encoding = ENCODINGS.find((e) => req.acceptsEncodings(e.name) === e.name && has(file + e.ext));
    if (!encoding) return next();
    res.setHeader('Content-Encoding', encoding.name);
    res.sendFile(file + encoding.ext, { maxAge, headers: { 'Content-Type': 'text/javascript; charset=utf-8' } }, (error) => {
      if (error) next(error);
    });
  };
}
