import type { ConversationSummary, Message, VisitorConversation } from '../../../protocol/src/index';

/**
 * What the services announce. The realtime layer implements it with
 * Socket.IO rooms; services never import socket.io.
 */
export interface Notifier {
  messageCreated(message: Message): void;
  conversationChanged(summary: ConversationSummary, visitorView: VisitorConversation): void;
  agentSessionEnded(sessionHash: string): void;
}

export const silentNotifier: Notifier = {
  messageCreated() {},
  conversationChanged() {},
  agentSessionEnded() {},
};
