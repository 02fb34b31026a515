import { existsSync } from 'node:fs';
import { join, normalize, relative, sep } from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/** Encodings the build writes beside each text file, best first. */
const ENCODINGS = [
  { name: 'br', ext: '.br' },
  { name: 'gzip', ext: '.gz' },
] as const;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

/** A built file whose name carries a hash of its content (rollup's `[name]-[hash]`): it never changes. */
const HASHED = /^\/(widget|console)\/[^/]+-[\w-]{8}\.(js|css)$/;

/**
 * How long a browser (or a CDN) may keep a file of the build, by its URL path:
 * - content-hashed files for a year, `immutable` (a new build has new names);
 * - the widget's loader, the one URL site owners paste, for 5 minutes, then used while it
 *   revalidates in the background for an hour (its ETag makes that a 304 when nothing changed);
 * - anything else (the console's page, the demo) revalidated on every use.
 */
export function cacheControl(urlPath: string): string {
  if (HASHED.test(urlPath)) return 'public, max-age=31536000, immutable';
  if (urlPath === '/widget.js') return 'public, max-age=300, stale-while-revalidate=3600';
  return 'no-cache';
}

/**
 * Serves the build under `root`: a file's precompressed twin (`app-….js.br`, `.gz`, written at build
 * time at the highest levels) to a browser that accepts it, with `Vary: Accept-Encoding`, else the
 * plain file; each with its cache policy (`cacheControl`) and an ETag. A proxy or the compression
 * middleware sees `Content-Encoding` already set and leaves the body alone.
 */
export function buildAssets(root: string): RequestHandler {
  const has = existingFiles();
  const plain = express.static(root, {
    index: false,
    // a folder of the build (/console) is not a page: the console's own route answers it
    redirect: false,
    etag: true,
    cacheControl: false,
    setHeaders: (res, file) => res.setHeader('Cache-Control', cacheControl(`/${relative(root, file).split(sep).join('/')}`)),
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      // a malformed escape names no file of ours
      return next();
    }
    const type = TYPES[/\.[a-z]+$/.exec(path)?.[0] ?? ''];
    const file = normalize(join(root, path));
    if (!type || !file.startsWith(root + sep)) return plain(req, res, next);
    if (!sendEncoded(req, res, file, type, cacheControl(path), next, has)) plain(req, res, next);
  };
}

/**
 * Whether a file exists, asked of the disk once per file that does: request paths are the client's,
 * so misses are asked again rather than remembered, and cannot grow the set.
 */
function existingFiles(): (file: string) => boolean {
  const known = new Set<string>();
  return (file) => {
    if (known.has(file)) return true;
    const hit = existsSync(file);
    if (hit) known.add(file);
    return hit;
  };
}

/**
 * The best encoding of ours the client accepts (Brotli, then gzip) among those `available` offers,
 * with `Vary: Accept-Encoding` set; undefined when it takes neither.
 */
export function acceptedEncoding(req: Request, res: Response, available: (ext: string) => boolean = () => true): (typeof ENCODINGS)[number] | undefined {
  res.vary('Accept-Encoding');
  // ours first: at equal weight, negotiation would keep the client's order (gzip before br)
  return ENCODINGS.find((e) => req.acceptsEncodings(e.name) === e.name && available(e.ext));
}

/**
 * Sends `file`'s precompressed twin the client accepts, if the build wrote one; false when it sends
 * nothing (no twin, or the client takes neither encoding).
 */
function sendEncoded(
  req: Request,
  res: Response,
  file: string,
  type: string,
  cache: string,
  next: NextFunction,
  has: (file: string) => boolean,
): boolean {
  const encoding = acceptedEncoding(req, res, (ext) => has(file + ext));
  if (!encoding) return false;
  res.setHeader('Content-Encoding', encoding.name);
  res.setHeader('Cache-Control', cache);
  res.sendFile(file + encoding.ext, { cacheControl: false, headers: { 'Content-Type': type } }, (error) => {
    if (error) next(error);
  });
  return true;
}

/** The console's page (built with its hashed scripts and styles) for `/console` and every client-side route under it. */
export function consolePage(file: string): RequestHandler {
  const has = existingFiles();
  return (req, res, next) => {
    if (sendEncoded(req, res, file, TYPES['.html']!, 'no-cache', next, has)) return;
    res.sendFile(file, { cacheControl: false, headers: { 'Cache-Control': 'no-cache' } }, (error) => error && next(error));
  };
}
