import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../server/src/http/client-address';

const request = (remoteAddress: string, forwarded?: string) => ({
  socket: { remoteAddress } as never,
  headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
});

describe('the client address of a socket', () => {
  it.each([
    ['a direct client', request('203.0.113.5'), '203.0.113.5'],
    ['a direct client that claims another address', request('203.0.113.5', '198.51.100.1'), '203.0.113.5'],
    ['a client behind a proxy on this machine', request('127.0.0.1', '198.51.100.1'), '198.51.100.1'],
    ['a client behind an IPv6 loopback proxy', request('::1', '198.51.100.1'), '198.51.100.1'],
    ['a client behind an IPv4-mapped loopback proxy', request('::ffff:127.0.0.1', '198.51.100.1'), '198.51.100.1'],
    ['the nearest untrusted hop, not a spoofed first one', request('127.0.0.1', '10.9.9.9, 198.51.100.1'), '198.51.100.1'],
    ['past a chain of local proxies', request('127.0.0.1', '198.51.100.1, 127.0.0.1'), '198.51.100.1'],
    ['a local client without a proxy', request('127.0.0.1'), '127.0.0.1'],
  ])('is the peer or the forwarded address as Express trusts loopback: %s', (_name, req, address) => {
    expect(clientAddress(req)).toBe(address);
  });
});
