import { describe, expect, it } from 'vitest';
import type { VNode } from 'preact';
import type { Message, VisitorConversation } from '../../protocol/src/index';
import { linkify } from '../../widget/src/app/components/chat/linkify';
import { initials } from '../../widget/src/app/format';
import { CSS } from '../../widget/src/app/styles';
import { contrastRatio } from '../../server/src/config/contrast';
import { createConversationState } from '../../widget/src/app/models/conversation-state';

const view = (over: Partial<VisitorConversation>): VisitorConversation => ({ id: 'c1', siteId: 'demo', status: 'open', lastSeq: 2, ...over });
let seq = 0;
const message = (authorType: Message['authorType'], authorName: string | null, s = ++seq + 100): Message => ({
  id: `m${s}`,
  conversationId: 'c1',
  seq: s,
  clientId: `k${s}`,
  authorType,
  authorName,
  text: 'hi',
  createdAt: new Date().toISOString(),
});

describe('what the visitor is told about who answers', () => {
  it('names the assignee and ends the wait in line once the server says so', () => {
    const state = createConversationState();
    state.update(view({ queuePosition: 2, agent: null, humanReplied: false }));
    expect([state.queue.value, state.agent.value, state.humanReplied.value]).toEqual([2, null, false]);
    state.update(view({ queuePosition: null, agent: { name: 'Maria Kim' } }));
    expect([state.queue.value, state.agent.value]).toEqual([null, 'Maria Kim']);
  });

  it('leaves what an update does not carry as it was', () => {
    const state = createConversationState();
    state.update(view({ queuePosition: 1, agent: { name: 'Maria Kim' }, humanReplied: true }));
    state.update(view({ rating: null }));
    expect([state.queue.value, state.agent.value, state.humanReplied.value]).toEqual([1, 'Maria Kim', true]);
  });

  it('takes an agent’s live message as a person answering: named, and out of the queue at once', () => {
    const state = createConversationState();
    state.update(view({ queuePosition: 3, agent: null, humanReplied: false, lastSeq: 2 }));
    state.heard([message('bot', 'Northwind bot', 3)]);
    expect([state.queue.value, state.agent.value, state.humanReplied.value]).toEqual([3, null, false]);
    state.heard([message('agent', 'Ana Ruiz', 4)]);
    expect([state.queue.value, state.agent.value, state.humanReplied.value]).toEqual([null, 'Ana Ruiz', true]);
  });

  it('keeps the server’s name over the history a join brings along', () => {
    const state = createConversationState();
    // reassigned to Maria after Ana wrote: the history's Ana does not win
    state.update(view({ lastSeq: 5, agent: { name: 'Maria Kim' }, humanReplied: true }));
    state.heard([message('agent', 'Ana Ruiz', 4), message('visitor', null, 5)]);
    expect(state.agent.value).toBe('Maria Kim');
  });

  it('forgets everything for a new conversation', () => {
    const state = createConversationState();
    state.update(view({ queuePosition: 1, agent: { name: 'Maria Kim' }, humanReplied: true, lastSeq: 9 }));
    state.reset();
    expect([state.queue.value, state.agent.value, state.humanReplied.value]).toEqual([null, null, false]);
    state.heard([message('agent', 'Ana Ruiz', 1)]);
    expect(state.agent.value).toBe('Ana Ruiz');
  });
});

describe('the agent’s avatar', () => {
  it.each([
    ['Maria Kim', 'MK'],
    ['ana', 'A'],
    ['  José   María  Pérez ', 'JP'],
    ['王小明', '王'],
  ])('shows %j as %s', (name, expected) => {
    expect(initials(name)).toBe(expected);
  });
});

describe('links in messages', () => {
  const links = (text: string): string[] =>
    linkify(text)
      .filter((part): part is VNode<{ href: string }> => typeof part === 'object' && part !== null)
      .map((a) => a.props.href);

  it('links what names its scheme: http(s) and mailto', () => {
    expect(links('see https://example.com/a?b=1, or write to mailto:help@example.com.')).toEqual(['https://example.com/a?b=1', 'mailto:help@example.com']);
  });

  it('leaves www. and bare domains as text', () => {
    expect(links('visit www.example.com or example.com')).toEqual([]);
    expect(linkify('visit www.example.com').join('')).toBe('visit www.example.com');
  });

  it('never links another scheme', () => {
    expect(links('javascript:alert(1) data:text/html,x')).toEqual([]);
  });
});

describe('the status banner (queue, connecting)', () => {
  /** The banner's background and text colours in a palette of the stylesheet. */
  const colours = (palette: string): [string, string] => [palette.match(/--wb:(#[0-9a-f]{6})/)![1]!, palette.match(/--wf:(#[0-9a-f]{6})/)![1]!];

  it('is dark amber with light text in dark mode, and readable in both modes', () => {
    const light = colours(CSS.match(/:host\{[^}]*\}/)![0]);
    const dark = colours(CSS.match(/:host\(\[data-mode=dark\]\)\{[^}]*\}/)![0]);
    expect(dark).toEqual(['#78350f', '#fef3c7']);
    for (const [bg, fg] of [light, dark]) expect(contrastRatio(fg, bg)).toBeGreaterThanOrEqual(4.5);
    expect(CSS).toContain('.status{padding:5px;text-align:center;font-size:12px;background:var(--wb);color:var(--wf)}');
  });

  it('sets fields at 16 px, so that a phone does not zoom the page into them', () => {
    expect(CSS).toMatch(/input,select,textarea\{font:inherit;font-size:16px;/);
  });
});
