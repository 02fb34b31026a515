/**
 * The contract between the loader and the app module it imports. Types only:
 * both sides `import type` it, so the loader's bundle gains nothing.
 */
import type { PublicSiteConfig } from '../../protocol/src/survey';
import type { Overrides } from './overrides';

/** What the loader hands over: the shadow root it drew the launcher in, where the server is, and the config it fetched. */
export interface MountOptions {
  shadowRoot: ShadowRoot;
  launcher: HTMLButtonElement;
  siteId: string;
  origin: string;
  /** Open the panel at once (a click) or only connect (a returning visitor). */
  open: boolean;
  /** The site's public config; rejects when it could not be fetched. */
  config: Promise<PublicSiteConfig>;
  /** What the page overrides (data-* attributes and `ChatWidget.init`), prefilled answers included. */
  overrides: Overrides;
  /** The conversation to show (the loader's badge found unread messages there, or an email's link named it). */
  focus?: string;
  /**
   * The app tells the loader what the launcher shows: open or not, the unread count and the
   * latest unread agent message (the preview bubble).
   */
  badge(open: boolean, count: number, latest: { authorName: string | null; text: string } | null): void;
  /** The page's calls for the app made before it loaded, `[name, ...args]`, to replay in order (the loader empties nothing: the app does). */
  later: unknown[][];
  /** Tells the page's `ChatWidget.on` handlers (see docs/WIDGET.md for every event and payload). */
  emit(event: WidgetEvent, payload?: unknown): void;
}

/** The events a page can listen to with `ChatWidget.on`. */
export type WidgetEvent =
  | 'ready'
  | 'open'
  | 'close'
  | 'survey:submitted'
  | 'conversation:started'
  | 'message:sent'
  | 'message:received'
  | 'conversation:closed'
  | 'rating:submitted'
  | 'unread:changed'
  | 'error';

/** The page-facing controls, behind `window.ChatWidget`, and the loader's way to pass on a later `init`. */
export interface WidgetController {
  open(): void;
  close(): void;
  toggle(): void;
  /** `ChatWidget.unmount()`: closes the socket and removes every listener the app added (the loader removes the nodes). */
  destroy(): void;
  /** A page call the app handles (`setUser`, `setAttributes`, `sendMessage`, `reset`), with its arguments. */
  call(name: string, args: unknown[]): void;
  /** The page changed its overrides (or its language): the config and values to use from now on. */
  set(config: PublicSiteConfig, overrides: Overrides): void;
}

/** What the app module exports. */
export interface AppModule {
  mount(options: MountOptions): WidgetController;
}
