import type {
  ContactProfile,
  ConversationSummary,
  Label,
  Message,
  Note,
  ReadEvent,
  ScheduledMessage,
  TimelineEvent,
  TypingEvent,
  VisitorConversation,
  VisitorTypingEvent,
} from '../../../protocol/src/index';

/**
 * What the services announce. The realtime layer implements it with
 * Socket.IO rooms; services never import socket.io.
 */
export interface Notifier {
  /** A new message to everyone in the conversation except the socket `exceptSocket` (the sender, whose ack carries it). */
  messageCreated(message: Message, exceptSocket?: string): void;
  /** `visitorView` is null when nothing the visitor sees changed (a new message only moves lastSeq). */
  conversationChanged(summary: ConversationSummary, visitorView: VisitorConversation | null): void;
  agentSessionEnded(sessionHash: string): void;
  /** A private note: to agents that opened the conversation, never to the visitor. */
  noteCreated(note: Note): void;
  /** A timeline event (assigned, labelled, closed…): to agents that opened the conversation. */
  timelineEvent(event: TimelineEvent): void;
  /** Someone typing: the visitor's typing goes to agents, an agent's to the visitor (and to other agents). */
  typing(event: TypingEvent, toVisitor: VisitorTypingEvent | null): void;
  /**
   * Read marks moved: `event` goes to agents that opened the conversation and to the tabs of
   * `event.agentId`; `agentReadSeq` (when it moved) goes to the visitor.
   */
  readMoved(event: ReadEvent, visitorAgentReadSeq: number | null): void;
  /** The label catalogue changed. */
  labelsChanged(labels: Label[]): void;
  /** A contact's labels or attributes changed. */
  contactUpdated(contactId: string, profile: ContactProfile): void;
  /** Conversations were erased: every agent drops them. */
  conversationsRemoved(ids: string[]): void;
  /** A scheduled follow-up was made, edited, cancelled, sent or failed: to agents that opened its conversation. */
  scheduledChanged(scheduled: ScheduledMessage): void;
}

export const silentNotifier: Notifier = {
  messageCreated() {},
  conversationChanged() {},
  agentSessionEnded() {},
  noteCreated() {},
  timelineEvent() {},
  typing() {},
  readMoved() {},
  labelsChanged() {},
  contactUpdated() {},
  scheduledChanged() {},
  conversationsRemoved() {},
};
