import { signal } from '@preact/signals-core';
import { describe, expect, it } from 'vitest';
import type { Ack, FollowUpOptOut, VisitorConversation } from '../../protocol/src/index';
import type { ChatMessage } from '../../widget/src/app/models/messages';
import { createFollowUps } from '../../widget/src/app/models/follow-ups';
import type { Transport } from '../../widget/src/transport';

const msg = (seq: number, authorType: ChatMessage['authorType'], text = `m${seq}`, authorName: string | null = authorType === 'agent' ? 'Maria' : null): ChatMessage =>
  ({ key: `k${seq}`, id: `id${seq}`, seq, clientId: `c${seq}`, authorType, authorName, text, createdAt: '2026-12-04T10:00:00Z' }) as ChatMessage;
const view = (over: Partial<VisitorConversation>): VisitorConversation => ({ id: 'c1', siteId: 'demo', status: 'open', lastSeq: 5, ...over });

function fakeTransport(answers: { followUps?: Ack<{ optedOut: FollowUpOptOut | null }> | Error; transcript?: Ack<{ queued: boolean }> | Error }) {
  const calls: string[] = [];
  const reply = <T>(a: T | Error | undefined) => (a instanceof Error || a === undefined ? Promise.reject(a ?? new Error('timeout')) : Promise.resolve(a));
  const transport = {
    followUps: (allow: boolean) => (calls.push(`followUps:${allow}`), reply(answers.followUps)),
    transcript: () => (calls.push('transcript'), reply(answers.transcript)),
  } as unknown as Transport;
  return { transport, calls };
}

const texts = { stopped: 'No more follow-ups.', notSent: 'Not sent.', transcriptSent: 'Emailed.' };

describe("the widget's unread count", () => {
  it('counts agent messages above the read mark, never the visitor\'s or the bot\'s, and names the latest', () => {
    const messages = signal<ChatMessage[]>([msg(1, 'bot'), msg(2, 'visitor'), msg(3, 'agent', 'Let me check'), msg(4, 'agent', 'It ships <b>tomorrow</b>'), msg(5, 'system')]);
    const fu = createFollowUps(messages, () => undefined);
    fu.update(view({ visitorReadSeq: 2 }));
    expect(fu.unread.value).toEqual({ count: 2, latest: { id: 'id4', authorName: 'Maria', text: 'It ships <b>tomorrow</b>' } });
    // another tab read up to 3
    fu.read(3);
    expect(fu.unread.value.count).toBe(1);
    // marks never move back, and an update without the field changes nothing
    fu.read(1);
    fu.update(view({}));
    expect(fu.unread.value.count).toBe(1);
    fu.read(4);
    expect(fu.unread.value).toEqual({ count: 0, latest: null });
    // a message still on its way (no seq) is never unread
    messages.value = [...messages.value, { ...msg(6, 'agent'), seq: undefined } as ChatMessage];
    expect(fu.unread.value.count).toBe(0);
  });
});

describe('the chat menu', () => {
  it('opts out and back in, and says what happened', async () => {
    const at = '2026-12-04T10:00:00.000Z';
    const { transport, calls } = fakeTransport({ followUps: { ok: true, data: { optedOut: { at, via: 'widget' } } } });
    const fu = createFollowUps(signal([]), () => transport);
    fu.update(view({ followUps: { optedOut: null } }));
    await fu.setAllowed(false, texts);
    expect(calls).toEqual(['followUps:false']);
    expect(fu.optedOut.value).toEqual({ at, via: 'widget' });
    expect(fu.said.value).toBe('No more follow-ups.');
  });

  it("shows the server's refusal, or that nothing was sent when no answer came", async () => {
    const refused = fakeTransport({ followUps: { ok: false, code: 'forbidden', message: 'not your conversation' } });
    const fu = createFollowUps(signal([]), () => refused.transport);
    await fu.setAllowed(false, texts);
    expect([fu.optedOut.value, fu.said.value]).toEqual([null, 'not your conversation']);
    const lost = createFollowUps(signal([]), () => fakeTransport({ followUps: new Error('timeout') }).transport);
    await lost.setAllowed(false, texts);
    expect(lost.said.value).toBe('Not sent.');
    const offline = createFollowUps(signal([]), () => undefined);
    await offline.setAllowed(true, texts);
    expect(offline.said.value).toBe('Not sent.');
  });

  it('asks for the transcript once at a time, and keeps a refusal to show', async () => {
    const ok = fakeTransport({ transcript: { ok: true, data: { queued: true } } });
    const fu = createFollowUps(signal([]), () => ok.transport);
    await Promise.all([fu.emailTranscript(texts), fu.emailTranscript(texts)]);
    expect(ok.calls).toEqual(['transcript']);
    expect([fu.transcript.value, fu.said.value]).toEqual(['sent', 'Emailed.']);
    const limited = createFollowUps(signal([]), () => fakeTransport({ transcript: { ok: false, code: 'rate_limited', message: 'try again in a few minutes' } }).transport);
    await limited.emailTranscript(texts);
    expect(limited.transcript.value).toBe('try again in a few minutes');
    limited.reset();
    expect([limited.transcript.value, limited.said.value, limited.menuOpen.value]).toEqual(['', '', false]);
  });
});
