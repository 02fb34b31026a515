import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContactCache, contactChanged } from '../../server/src/services/conversations/contact-cache';
import { type Db, openStore } from '../../server/src/store/db';

const NOW = '2026-01-02T03:04:05.000Z';
let db: Db;

beforeEach(async () => {
  db = await openStore({ dataDir: ':memory:' });
  await db.insertInto('sites').values({ id: 'demo', name: 'Demo', created_at: NOW }).execute();
  await db
    .insertInto('contacts')
    .values({ id: 'ana', site_id: 'demo', token_hash: 'h', name: 'Ana', email: null, phone: null, language: null, created_at: NOW, updated_at: NOW })
    .execute();
});
afterEach(async () => {
  await db.destroy();
});

const rename = (name: string) => db.updateTable('contacts').set({ name }).where('id', '=', 'ana').execute();

describe('the contact cache of conversation summaries', () => {
  it('reads a contact once and keeps it until the contact changes', async () => {
    const cache = new ContactCache(db);
    expect((await cache.get('ana')).name).toBe('Ana');
    await rename('Ana B');
    // not told: the row kept is answered
    expect((await cache.get('ana')).name).toBe('Ana');
    contactChanged(db, 'ana');
    expect((await cache.get('ana')).name).toBe('Ana B');
  });

  it('does not keep a row read while the contact changed', async () => {
    const cache = new ContactCache(db);
    const reading = cache.get('ana');
    contactChanged(db, 'ana');
    await reading;
    await rename('Ana C');
    expect((await cache.get('ana')).name).toBe('Ana C');
  });

  it('reads again after a minute, for changes made by another process on the same file', async () => {
    let now = 0;
    const cache = new ContactCache(db, () => now);
    await cache.get('ana');
    await rename('Ana D');
    now = 59_000;
    expect((await cache.get('ana')).name).toBe('Ana');
    now = 61_000;
    expect((await cache.get('ana')).name).toBe('Ana D');
  });

  it('refuses a contact that does not exist', async () => {
    await expect(new ContactCache(db).get('nobody')).rejects.toThrow();
  });
});
