import { signal } from '@preact/signals-core';

/** At most one `typing:true` per this many ms while the visitor types. */
export const TYPING_EVERY = 1500;
/** Idle time after which the visitor counts as stopped. */
export const TYPING_IDLE = 4000;
/** An agent's typing line goes away after this long without news. */
export const AGENT_TYPING_TTL = 6000;

/** What the presence model sends: typing state with a preview, and read marks. */
export interface PresenceSink {
  typing(typing: boolean, preview: string): void;
}

/**
 * Throttles the visitor's typing: the first keystroke sends at once, then at most one
 * event per {@link TYPING_EVERY} ms carrying the latest text; `typing:false` after
 * {@link TYPING_IDLE} ms idle, or at once when the message is sent.
 */
export function createTypingThrottle(sink: PresenceSink) {
  let last = 0;
  let typing = false;
  let text = '';
  let trailing: ReturnType<typeof setTimeout> | undefined;
  let idle: ReturnType<typeof setTimeout> | undefined;

  function emit(): void {
    clearTimeout(trailing);
    trailing = undefined;
    last = Date.now();
    sink.typing(true, text);
  }
  function stop(): void {
    clearTimeout(trailing);
    clearTimeout(idle);
    trailing = undefined;
    if (typing) sink.typing(false, '');
    typing = false;
    last = 0;
  }
  return {
    /** The box now holds `value`; blank text counts as stopping. */
    input(value: string): void {
      text = value;
      if (!value.trim()) return stop();
      typing = true;
      clearTimeout(idle);
      idle = setTimeout(stop, TYPING_IDLE);
      const wait = last + TYPING_EVERY - Date.now();
      if (wait <= 0) emit();
      else trailing ??= setTimeout(emit, wait);
    },
    /** The message was sent (or the chat left): stopped now. */
    stop,
  };
}

/** Who of the agents is typing (null: nobody) and how far agents have read; fed by the transport. */
export function createAgentPresence() {
  const typingName = signal<string | null>(null);
  const agentReadSeq = signal(0);
  let expiry: ReturnType<typeof setTimeout> | undefined;
  const clear = (): void => {
    clearTimeout(expiry);
    typingName.value = null;
  };
  return {
    typingName,
    agentReadSeq,
    /** A `typing` event from the server: shown until stopped, a message of that agent arrives or {@link AGENT_TYPING_TTL} passes. */
    typing(name: string | null, typing: boolean): void {
      clearTimeout(expiry);
      if (!typing) return clear();
      typingName.value = name ?? '';
      expiry = setTimeout(clear, AGENT_TYPING_TTL);
    },
    /** A message arrived from an agent (by name): that agent stopped typing. */
    spoke(name: string | null): void {
      if (typingName.value !== null && (name === null || name === typingName.value || typingName.value === '')) clear();
    },
    /** Read marks only move forward. */
    read(seq: number | undefined): void {
      if (typeof seq === 'number' && seq > agentReadSeq.value) agentReadSeq.value = seq;
    },
  };
}
