import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** A loopback address, IPv4 (127.0.0.0/8), IPv6 (::1) or IPv4-mapped. */
function isLoopback(address: string): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || (isIP(plain) === 4 && plain.startsWith('127.'));
}

/**
 * The client's address as Express's `req.ip` gives it under `app.set('trust proxy', 'loopback')`:
 * the peer, unless the peer is a proxy on this machine, then the nearest address in
 * `X-Forwarded-For` that is not one. Socket.IO's `handshake.address` is only the peer, which
 * behind a local reverse proxy would put every visitor under one address.
 */
export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>): string {
  let address = req.socket.remoteAddress ?? '';
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((hop) => hop.trim()).filter(Boolean);
  // walk from the nearest hop while the one that handed the request on is trusted
  while (isLoopback(address) && hops.length > 0) address = hops.pop() as string;
  return address;
}
