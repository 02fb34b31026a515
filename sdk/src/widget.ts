/**
 * `parley-chat/widget`: the widget's `window.ChatWidget` API as typed functions, for single-page apps
 * and bundlers. `init` adds the widget's script from the Parley server; every other call is queued
 * until the script runs (the same queue the one-line snippet in docs/WIDGET.md sets up), so the order
 * of calls never matters. Importing this module touches nothing.
 */

/** What `init` takes: where the widget comes from, and the page's looks and texts. */
export interface InitOptions extends WidgetLooks {
  /** The Parley server's origin, for example `https://chat.example.com`. */
  server: string;
  /** The site id from Parley's config file. */
  site: string;
}

/** The page's looks and texts (`ChatWidget.init`), every key optional; the widget checks each and drops what it cannot use. */
export interface WidgetLooks {
  locale?: string;
  position?: 'left' | 'right';
  /** Pixels from the side and from the bottom, 0 to 200. */
  offsetX?: number;
  offsetY?: number;
  launcher?: 'icon' | 'text';
  mode?: 'light' | 'dark' | 'auto';
  /** `#rrggbb` colours. */
  colors?: { primary?: string; onPrimary?: string };
  texts?: { title?: string; greeting?: string; launcher?: string; startButton?: string; placeholder?: string };
  /** Survey answers ahead of the visitor, by field key. */
  values?: Record<string, string | number>;
}

/** The shop's signed-in user. With `identifierHash` (HMAC-SHA256 of `id` with the site's identity secret, made by your backend) the user's chat follows them to any device. */
export interface WidgetUser {
  id?: string;
  name?: string;
  email?: string;
  phone?: string;
  identifierHash?: string;
}

/** A message an agent or the bot wrote. */
export interface ReceivedMessage {
  id: string;
  conversationId: string;
  seq: number;
  authorType: 'agent' | 'bot' | 'system';
  authorName: string | null;
  text: string;
  createdAt: string;
}

/** Every event and what its handler receives. */
export interface WidgetEvents {
  ready: undefined;
  open: undefined;
  close: undefined;
  'survey:submitted': { answers: Record<string, string | number | boolean> };
  'conversation:started': { conversationId: string };
  'message:sent': { conversationId: string; clientId: string; text: string };
  'message:received': ReceivedMessage;
  'conversation:closed': { conversationId: string };
  'rating:submitted': { conversationId: string; score: number; comment: string | null };
  'unread:changed': { count: number };
  error: { code: string; message: string };
}
export type WidgetEvent = keyof WidgetEvents;
export type Handler<E extends WidgetEvent> = (payload: WidgetEvents[E]) => void;

type Queue = { q?: unknown[][] | { push(command: unknown[]): void } } & Record<string, unknown>;
const SCRIPT_ID = 'parley-chat-widget-script';

/** `window.ChatWidget`, or its queue when the script has not run yet. */
function widget(): Queue {
  const w = window as unknown as { ChatWidget?: Queue };
  return (w.ChatWidget ??= { q: [] });
}
/** Runs a method now if the script is there, else queues it (the script replays the queue in order). */
function call(method: string, ...args: unknown[]): void {
  if (typeof window === 'undefined') return;
  const w = widget();
  if (typeof w[method] === 'function') (w[method] as (...a: unknown[]) => void)(...args);
  else (w.q as { push(command: unknown[]): void }).push([method, ...args]);
}

/** Adds the widget to the page (once; a second call only re-applies the options), with the page's looks and texts. */
export function init(options: InitOptions): void {
  if (typeof document === 'undefined') return;
  const { server, site, ...looks } = options;
  call('init', looks);
  if (document.getElementById(SCRIPT_ID)) return;
  const script = document.createElement('script');
  script.id = SCRIPT_ID;
  script.async = true;
  script.src = `${server.replace(/\/+$/, '')}/widget.js`;
  script.dataset.site = site;
  document.head.append(script);
}

export const open = (): void => call('open');
export const close = (): void => call('close');
export const toggle = (): void => call('toggle');
/** Shows or hides the launcher button. */
export const show = (): void => call('show');
export const hide = (): void => call('hide');
export const setLocale = (locale: string): void => call('setLocale', locale);
export const prefill = (values: Record<string, string | number>): void => call('prefill', values);
export const setUser = (user: WidgetUser): void => call('setUser', user);
/** Custom attributes on the visitor's contact (`null` removes one). */
export const setAttributes = (attributes: Record<string, string | number | boolean | null>): void => call('setAttributes', attributes);
/** Writes into the visitor's open conversation; without one, an `error` event (`no_conversation`). */
export const sendMessage = (text: string): void => call('sendMessage', text);
/** Forgets the visitor in this browser (call it on logout). */
export const reset = (): void => call('reset');

/** Listens to an event; returns the function that stops listening. */
export function on<E extends WidgetEvent>(event: E, handler: Handler<E>): () => void {
  call('on', event, handler);
  return () => off(event, handler);
}
export function off<E extends WidgetEvent>(event: E, handler: Handler<E>): void {
  call('off', event, handler);
}

/** Takes the widget out of the page (nodes, socket, listeners); the visitor is remembered. `init` adds it again. */
export function unmount(): void {
  if (typeof document === 'undefined') return;
  const w = window as unknown as { ChatWidget?: Queue };
  if (typeof w.ChatWidget?.unmount === 'function') (w.ChatWidget.unmount as () => void)();
  // a queue for a script that has not run: it goes, and so does the script (which then stays out when it runs)
  else delete w.ChatWidget;
  document.getElementById(SCRIPT_ID)?.remove();
}
