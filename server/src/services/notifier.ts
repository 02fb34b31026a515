import type { ConversationSummary, Message, VisitorConversation } from '../../../protocol/src/index';

/**
 * What the services announce. The realtime layer implements it with
 * Socket.IO rooms; services never import socket.io.
 */
export interface Notifier {
  messageCreated(message: Message): void;
  /** `visitorView` is null when nothing the visitor sees changed (a new message only moves lastSeq). */
  conversationChanged(summary: ConversationSummary, visitorView: VisitorConversation | null): void;
  agentSessionEnded(sessionHash: string): void;
}

export const silentNotifier: Notifier = {
  messageCreated() {},
  conversationChanged() {},
  agentSessionEnded() {},
};
