/** Limits every party enforces the same way. */
export const Limits = {
  /** Longest message text, in UTF-16 code units. */
  messageText: 5000,
  /** Client message ids are short opaque strings (a UUID fits). */
  clientId: 64,
  /** Longest single survey answer. */
  answerText: 1000,
  /** Longest comment that comes with a rating. */
  ratingComment: 1000,
  /** Largest Socket.IO packet the server accepts, in bytes. */
  socketPacketBytes: 64 * 1024,
  /** Largest JSON body the HTTP API accepts. */
  httpBodyBytes: '64kb',
  /** Most messages one sync answer returns; the client asks again for more. */
  syncPage: 500,
  /** Most conversations an inbox page returns. */
  inboxPage: 200,
} as const;

/** Name of the localStorage key the widget keeps its state under, per site. */
export const widgetStorageKey = (siteId: string): string => `parley:${siteId}`;

/** Name of the agent session cookie. */
export const SESSION_COOKIE = 'parley_sid';
