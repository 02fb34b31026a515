import { signal } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import { createQuickRepliesModel } from '../../console/src/models/quick-replies';
import type { QuickReply } from '../../protocol/src/index';

const reply = (text: string): QuickReply => ({ shortcut: 'hello', title: null, teamId: null, template: 'Hi {{contact.name}}', text });

/** An API whose answers the test hands out by hand, per conversation. */
function fakeApi() {
  const pending = new Map<string, { resolve(list: QuickReply[]): void; reject(error: Error): void }>();
  return {
    pending,
    api: {
      quickReplies: (id: string) =>
        new Promise<QuickReply[]>((resolve, reject) => {
          pending.set(id, { resolve, reject });
        }),
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('quick replies of the open conversation', () => {
  it('drops the previous contact’s filled-in replies as soon as the conversation changes', async () => {
    const openId = signal<string | null>('c1');
    const { api, pending } = fakeApi();
    const model = createQuickRepliesModel({ api, openId });
    model.ensure();
    pending.get('c1')?.resolve([reply('Hi Ana')]);
    await flush();
    expect(model.items.value.map((q) => q.text)).toEqual(['Hi Ana']);

    openId.value = 'c2';
    // nothing of Ana's is pickable in Bob's conversation, not even before the list is asked for
    expect(model.items.value).toEqual([]);
    model.ensure();
    expect(model.status.value).toBe('loading');
    expect(model.items.value).toEqual([]);
    pending.get('c2')?.resolve([reply('Hi Bob')]);
    await flush();
    expect(model.items.value.map((q) => q.text)).toEqual(['Hi Bob']);
  });

  it('leaves no replies when loading the new conversation’s list fails', async () => {
    const openId = signal<string | null>('c1');
    const { api, pending } = fakeApi();
    const model = createQuickRepliesModel({ api, openId });
    model.ensure();
    pending.get('c1')?.resolve([reply('Hi Ana')]);
    await flush();

    openId.value = 'c2';
    model.ensure();
    pending.get('c2')?.reject(new Error('offline'));
    await flush();
    expect(model.status.value).toBe('error');
    expect(model.items.value).toEqual([]);

    // a late answer for the conversation left behind changes nothing
    openId.value = 'c3';
    model.ensure();
    pending.get('c2')?.resolve([reply('Hi Bob')]);
    await flush();
    expect(model.items.value).toEqual([]);
  });

  it('asks once per conversation, and again after a failure', async () => {
    const openId = signal<string | null>('c1');
    let calls = 0;
    const model = createQuickRepliesModel({
      api: { quickReplies: async () => (++calls === 1 ? Promise.reject(new Error('no')) : [reply('Hi Ana')]) },
      openId,
    });
    model.ensure();
    await flush();
    expect(model.status.value).toBe('error');
    model.ensure();
    await flush();
    model.ensure();
    await flush();
    expect(calls).toBe(2);
    expect(model.items.value.map((q) => q.text)).toEqual(['Hi Ana']);
  });
});
