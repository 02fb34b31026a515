import { signal } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createFollowUpsModel,
  fromLocalInput,
  optOutText,
  outsideNotice,
  replyRule,
  scheduledTimeText,
  sendAtLabel,
  toLocalInput,
  type FollowUpsDeps,
} from '../../console/src/models/follow-ups';
import { eventText } from '../../console/src/components/conversation/timeline-text';
import type { Ack } from '../../protocol/src/index';
import type { FollowUpTiming, ScheduledMessage } from '../../protocol/src/follow-ups';

const timing = (over: Partial<FollowUpTiming> = {}): FollowUpTiming => ({
  timeZone: 'Europe/Moscow',
  localTime: '03:12',
  outside: true,
  rule: 'window',
  window: { start: '08:00', end: '21:00' },
  suggestedAt: '2026-12-05T05:00:00.000Z',
  suggestedLocal: 'Sat 08:00',
  optedOut: null,
  ...over,
});

const item = (over: Partial<ScheduledMessage> = {}): ScheduledMessage => ({
  id: 's1',
  conversationId: 'c1',
  agentId: 'a1',
  agentName: 'Sam',
  text: 'Your parcel left the warehouse',
  sendAt: '2026-12-05T05:00:00.000Z',
  status: 'scheduled',
  messageId: null,
  error: null,
  createdAt: '2026-12-04T23:00:00.000Z',
  sentAt: null,
  ...over,
});

type T = FollowUpsDeps['transport'];
const ok = <D>(data: D): Ack<D> => ({ ok: true, data });

function fakeTransport() {
  return {
    followUpTiming: vi.fn<T['followUpTiming']>(async () => ok({ timing: timing() })),
    listFollowUps: vi.fn<T['listFollowUps']>(async () => ok({ scheduled: [] })),
    scheduleFollowUp: vi.fn<T['scheduleFollowUp']>(async (p) => ok({ scheduled: item({ id: `s-${p.clientId}`, text: p.text, sendAt: p.sendAt }) })),
    editFollowUp: vi.fn<T['editFollowUp']>(async (p) => ok({ scheduled: item({ id: p.id, ...(p.text ? { text: p.text } : {}), ...(p.sendAt ? { sendAt: p.sendAt } : {}) }) })),
    cancelFollowUp: vi.fn<T['cancelFollowUp']>(async (id) => ok({ scheduled: item({ id, status: 'cancelled' }) })),
  };
}

/** A model on conversation c1; `configure` sets up the fake before the model's first asks. */
function setup(configure: (transport: ReturnType<typeof fakeTransport>) => void = () => {}) {
  const transport = fakeTransport();
  configure(transport);
  const openId = signal<string | null>('c1');
  const model = createFollowUpsModel({ transport, openId });
  return { transport, openId, model };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('timing of the open conversation', () => {
  it('asks when a conversation opens, again every minute while it is open, and stops once it is left', async () => {
    const { transport, openId, model } = setup();
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.followUpTiming).toHaveBeenCalledWith('c1');
    expect(model.timing.value?.localTime).toBe('03:12');
    transport.followUpTiming.mockResolvedValue(ok({ timing: timing({ localTime: '03:13' }) }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(transport.followUpTiming).toHaveBeenCalledTimes(2);
    expect(model.timing.value?.localTime).toBe('03:13');
    openId.value = null;
    expect(model.timing.value).toBeNull();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(transport.followUpTiming).toHaveBeenCalledTimes(2);
    model.dispose();
  });

  it('asks again after a reconnect, and forgets a failed ask while offline', async () => {
    const { transport, model } = setup((t) => t.followUpTiming.mockRejectedValue(new Error('Not connected')));
    await vi.advanceTimersByTimeAsync(0);
    expect(model.timing.value).toBeNull();
    transport.followUpTiming.mockResolvedValue(ok({ timing: timing() }));
    model.refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.followUpTiming).toHaveBeenCalledTimes(2);
    expect(transport.listFollowUps).toHaveBeenCalledTimes(2);
    expect(model.timing.value?.outside).toBe(true);
    model.dispose();
  });

  it('drops an answer that arrives after the agent moved to another conversation', async () => {
    let answer: (a: Ack<{ timing: FollowUpTiming }>) => void = () => {};
    const { transport, openId, model } = setup((t) => t.followUpTiming.mockImplementationOnce(() => new Promise((r) => (answer = r))));
    transport.followUpTiming.mockResolvedValue(ok({ timing: timing({ localTime: '14:00', outside: false }) }));
    openId.value = 'c2';
    answer(ok({ timing: timing() }));
    await vi.advanceTimersByTimeAsync(0);
    expect(model.timing.value?.localTime).toBe('14:00');
    model.dispose();
  });
});

describe('scheduling a follow-up', () => {
  it('sends the text for the suggested time and adds it to the list', async () => {
    const { transport, model } = setup();
    await vi.advanceTimersByTimeAsync(0);
    expect(await model.schedule('  See you tomorrow  ', '2026-12-05T05:00:00.000Z')).toBe(true);
    const payload = transport.scheduleFollowUp.mock.calls[0]![0];
    expect(payload).toMatchObject({ conversationId: 'c1', text: 'See you tomorrow', sendAt: '2026-12-05T05:00:00.000Z' });
    expect(payload.clientId).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(model.scheduled.value.map((s) => s.text)).toEqual(['See you tomorrow']);
    expect(model.busy.value).toBe(false);
    model.dispose();
  });

  it('keeps the client id when the same text is retried after an error, so the server schedules it once', async () => {
    const { transport, model } = setup();
    transport.scheduleFollowUp.mockResolvedValueOnce({ ok: false, code: 'rate_limited', message: 'Too many requests. Wait a moment.' });
    transport.scheduleFollowUp.mockRejectedValueOnce(new Error('No answer from the server'));
    expect(await model.schedule('Hello again', 'at')).toBe(false);
    expect(model.error.value).toBe('Too many requests. Wait a moment.');
    expect(await model.schedule('Hello again', 'at')).toBe(false);
    expect(model.error.value).toBe('Not sent: no connection. Try again in a moment.');
    expect(await model.schedule('Hello again', 'at')).toBe(true);
    expect(model.error.value).toBeNull();
    const ids = transport.scheduleFollowUp.mock.calls.map(([p]) => p.clientId);
    expect(new Set(ids).size).toBe(1);
    // a new text once the first went through is a new follow-up
    await model.schedule('Hello again', 'at');
    expect(transport.scheduleFollowUp.mock.calls[3]![0].clientId).not.toBe(ids[0]);
    model.dispose();
  });

  it('gives a different text a new client id', async () => {
    const { transport, model } = setup((t) => t.scheduleFollowUp.mockResolvedValue({ ok: false, code: 'invalid_payload', message: 'bad' }));
    await model.schedule('one', 'at');
    await model.schedule('two', 'at');
    const [a, b] = transport.scheduleFollowUp.mock.calls.map(([p]) => p.clientId);
    expect(a).not.toBe(b);
    model.dispose();
  });
});

describe('the scheduled list', () => {
  it('loads on open and follows followup:updated: sent and cancelled leave, failed stays with its error', async () => {
    const { model } = setup((t) => t.listFollowUps.mockResolvedValue(ok({ scheduled: [item({ id: 'b', sendAt: '2026-12-06T05:00:00.000Z' }), item({ id: 'old', status: 'sent' })] })));
    await vi.advanceTimersByTimeAsync(0);
    expect(model.scheduled.value.map((s) => s.id)).toEqual(['b']);
    model.apply(item({ id: 'a' }));
    expect(model.scheduled.value.map((s) => s.id)).toEqual(['a', 'b']);
    model.apply(item({ id: 'a', text: 'edited' }));
    expect(model.scheduled.value.map((s) => s.text)).toEqual(['edited', 'Your parcel left the warehouse']);
    model.apply(item({ id: 'a', status: 'sent', messageId: 'm9' }));
    expect(model.scheduled.value.map((s) => s.id)).toEqual(['b']);
    model.apply(item({ id: 'b', status: 'failed', error: 'The contact opted out of follow-ups.', sendAt: '2026-12-06T05:00:00.000Z' }));
    expect(model.scheduled.value).toMatchObject([{ id: 'b', status: 'failed', error: 'The contact opted out of follow-ups.' }]);
    model.apply(item({ id: 'c', status: 'cancelled' }));
    model.apply(item({ id: 'x', conversationId: 'other' }));
    expect(model.scheduled.value.map((s) => s.id)).toEqual(['b']);
    model.dispose();
  });

  it('edits and cancels with the ack, and hands back the server refusal or a no-connection sentence', async () => {
    const { transport, model } = setup();
    model.apply(item());
    expect(await model.edit('s1', { text: 'Changed' })).toBeNull();
    expect(transport.editFollowUp).toHaveBeenCalledWith({ id: 's1', text: 'Changed' });
    expect(model.scheduled.value[0]!.text).toBe('Changed');
    transport.editFollowUp.mockResolvedValueOnce({ ok: false, code: 'conflict', message: 'It is already being sent.' });
    expect(await model.edit('s1', { sendAt: '2026-12-07T05:00:00.000Z' })).toBe('It is already being sent.');
    expect(model.scheduled.value[0]!.sendAt).toBe('2026-12-05T05:00:00.000Z');
    transport.cancelFollowUp.mockRejectedValueOnce(new Error('Not connected'));
    expect(await model.cancel('s1')).toBe('Not saved: no connection. Try again in a moment.');
    expect(model.scheduled.value).toHaveLength(1);
    expect(await model.cancel('s1')).toBeNull();
    expect(transport.cancelFollowUp).toHaveBeenLastCalledWith('s1');
    expect(model.scheduled.value).toEqual([]);
    model.dispose();
  });
});

describe('the reply box on a closed conversation', () => {
  const optedOut = { at: '2026-12-04T14:03:00.000Z', via: 'email' as const };

  it('stays enabled on a closed conversation and says that sending reopens it', () => {
    expect(replyRule({ status: 'closed', optedOut: null, name: 'Ana' })).toEqual({ disabledReason: null, hint: 'This conversation is closed. Sending reopens it and assigns it to you.' });
  });

  it('is disabled with the reason when the contact opted out and the chat has closed', () => {
    expect(replyRule({ status: 'closed', optedOut, name: 'Ana', timeZone: 'UTC' })).toEqual({
      disabledReason: 'Ana opted out of follow-ups on 4 Dec 2026; you cannot write to them after the chat has closed.',
      hint: null,
    });
  });

  it('stays enabled while the conversation is open, even after an opt-out', () => {
    expect(replyRule({ status: 'open', optedOut, name: 'Ana' })).toEqual({ disabledReason: null, hint: null });
  });

  it('keeps the opt-out as proof in the contact panel, with how it was made', () => {
    expect(optOutText(optedOut, 'UTC')).toBe("Follow-ups: opted out on 4 Dec 2026, 14:03 (from the email's unsubscribe link)");
    expect(optOutText({ ...optedOut, via: 'widget' }, 'UTC')).toBe('Follow-ups: opted out on 4 Dec 2026, 14:03 (from the chat widget)');
  });
});

describe('texts of the follow-up views', () => {
  it("names the contact's time, zone and window, and the button's time in their clock", () => {
    expect(outsideNotice(timing(), 'Ana')).toBe('It is 03:12 for Ana (Europe/Moscow), outside 08:00–21:00.');
    expect(outsideNotice(timing({ rule: 'hours' }), 'Ana')).toBe('It is 03:12 for Ana (Europe/Moscow), outside business hours (08:00–21:00).');
    expect(sendAtLabel(timing())).toBe('Send at Sat 08:00 their time');
    expect(sendAtLabel(timing({ suggestedAt: null, suggestedLocal: null }))).toBeNull();
  });

  it("shows a follow-up's time in the contact's clock and the agent's", () => {
    expect(scheduledTimeText('2026-12-05T05:00:00.000Z', 'Europe/Moscow', 'Europe/Berlin')).toBe('Sat 5 Dec, 08:00 their time (06:00 yours)');
    // the agent's day is named when it is not the contact's
    expect(scheduledTimeText('2026-12-05T03:00:00.000Z', 'Asia/Tokyo', 'America/New_York')).toBe('Sat 5 Dec, 12:00 their time (Fri 4 Dec, 22:00 yours)');
    expect(scheduledTimeText('2026-12-05T05:00:00.000Z', 'Europe/Berlin', 'Europe/Berlin')).toBe('Sat 5 Dec, 06:00 their time and yours');
    expect(scheduledTimeText('2026-12-05T05:00:00.000Z', null, 'UTC')).toBe('Sat 5 Dec, 05:00 your time');
    expect(scheduledTimeText('2026-12-05T05:00:00.000Z', 'Not/AZone', 'UTC')).toBe('Sat 5 Dec, 05:00 your time');
  });

  it("edits the time on the contact's wall clock, across a daylight-saving change", () => {
    expect(toLocalInput('2026-12-05T05:00:00.000Z', 'Europe/Moscow')).toBe('2026-12-05T08:00');
    expect(fromLocalInput('2026-12-05T08:00', 'Europe/Moscow')).toBe('2026-12-05T05:00:00.000Z');
    expect(fromLocalInput('2026-03-29T09:00', 'Europe/Berlin')).toBe('2026-03-29T07:00:00.000Z');
    expect(fromLocalInput('2026-03-28T09:00', 'Europe/Berlin')).toBe('2026-03-28T08:00:00.000Z');
    expect(fromLocalInput('tomorrow', 'Europe/Berlin')).toBeNull();
  });

  it('tells a follow-up reopening apart from a plain reopen on the timeline', () => {
    const e = { id: 'e1', conversationId: 'c1', kind: 'reopened', actorName: 'Sam', agentName: 'Sam', teamId: null, createdAt: '2026-12-05T05:00:00.000Z' };
    expect(eventText({ ...e, note: 'follow-up' })).toBe('Reopened by a follow-up from Sam');
    expect(eventText({ ...e, note: null })).toBe('Reopened by Sam');
  });
});
