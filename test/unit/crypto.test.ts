import { describe, expect, it } from 'vitest';
import { readCookie } from '../../server/src/http/cookies';
import { hashPassword, randomToken, sha256, verifyPassword } from '../../server/src/services/crypto';

describe('passwords and tokens', () => {
  it('verifies the right password and refuses a wrong one, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('anything', 'plain-text-password')).toBe(false);
  });

  it('makes tokens of 256 random bits and hashes them to hex', () => {
    const t = randomToken();
    expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    expect(randomToken()).not.toBe(t);
    expect(sha256(t)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads one cookie among many and survives garbage', () => {
    expect(readCookie('a=1; parley_sid=abc%20d; b=2', 'parley_sid')).toBe('abc d');
    expect(readCookie('parley_sid=%E0%A4%A', 'parley_sid')).toBeUndefined();
    expect(readCookie(undefined, 'parley_sid')).toBeUndefined();
    expect(readCookie('junk', 'parley_sid')).toBeUndefined();
  });
});
