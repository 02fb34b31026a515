/** Reads one cookie from a Cookie header without a library. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The Set-Cookie value of the agent session: httpOnly, SameSite=Lax, Secure when asked. */
export function sessionCookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/** The origin a request was made to, as the browser sees it (scheme://host). */
export function selfOrigin(headers: { host?: string | undefined; 'x-forwarded-proto'?: string | string[] | undefined }, encrypted: boolean): string | undefined {
  if (!headers.host) return undefined;
  const proto = typeof headers['x-forwarded-proto'] === 'string' ? headers['x-forwarded-proto'].split(',')[0]?.trim() : encrypted ? 'https' : 'http';
  return `${proto}://${headers.host}`;
}
