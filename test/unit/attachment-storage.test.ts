import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AttachmentStorage,
  DirectoryAttachmentStorage,
  MemoryAttachmentStorage,
  storageFor,
} from '../../server/src/services/attachments/attachment-storage';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'parley-attachments-'));
  dirs.push(d);
  return d;
};

// one contract, run against every implementation of the seam
describe.each<[string, () => AttachmentStorage]>([
  ['memory', () => new MemoryAttachmentStorage()],
  ['data directory', () => new DirectoryAttachmentStorage(tempDir())],
])('attachment storage (%s)', (_name, make) => {
  it('gives back exactly the bytes it was given', async () => {
    const storage = make();
    const bytes = new Uint8Array([0, 1, 2, 255, 128, 10, 13]);
    await storage.put('a1', bytes);
    expect([...((await storage.get('a1')) as Buffer)]).toEqual([...bytes]);
  });

  it('answers null for a key it never stored', async () => {
    expect(await make().get('missing')).toBeNull();
  });

  it('replaces the bytes of a key written twice', async () => {
    const storage = make();
    await storage.put('k', Buffer.from('first'));
    await storage.put('k', Buffer.from('second'));
    expect((await storage.get('k'))?.toString()).toBe('second');
  });

  it('forgets a deleted key and deletes a missing one without complaint', async () => {
    const storage = make();
    await storage.put('gone', Buffer.from('x'));
    await storage.delete('gone');
    expect(await storage.get('gone')).toBeNull();
    await expect(storage.delete('never-there')).resolves.toBeUndefined();
  });

  it('refuses keys that could leave the storage', async () => {
    const storage = make();
    for (const key of ['../escape', 'a/b', '', '.hidden', 'a\\b', 'x'.repeat(200)]) {
      await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow(/invalid attachment key/);
      await expect(storage.get(key)).rejects.toThrow(/invalid attachment key/);
    }
  });

  it('keeps a megabyte intact', async () => {
    const storage = make();
    const big = Buffer.alloc(1024 * 1024, 7);
    big[big.length - 1] = 9;
    await storage.put('big', big);
    expect((await storage.get('big'))?.equals(big)).toBe(true);
  });
});

describe('storage for a data directory', () => {
  it('keeps files under <dataDir>/attachments and leaves no temporary file', async () => {
    const dir = tempDir();
    const storage = storageFor(dir);
    await storage.put('file-1', Buffer.from('bytes'));
    expect(readdirSync(join(dir, 'attachments'))).toEqual(['file-1']);
  });

  it('keeps an in-memory store in memory', () => {
    expect(storageFor(':memory:')).toBeInstanceOf(MemoryAttachmentStorage);
  });
});
