/**
 * The contract between the loader and the app module it imports. Types only:
 * both sides `import type` it, so the loader's bundle gains nothing.
 */

/** What the loader hands over: the shadow root it drew the launcher in, and where the server is. */
export interface MountOptions {
  shadowRoot: ShadowRoot;
  host: HTMLElement;
  launcher: HTMLButtonElement;
  siteId: string;
  origin: string;
  /** Open the panel at once (a click) or only connect (a returning visitor). */
  open: boolean;
  /** Values of hidden survey fields. */
  defaults?: Record<string, string>;
}

/** The page-facing controls, behind `window.ChatWidget`. */
export interface WidgetController {
  open(): void;
  close(): void;
  toggle(): void;
}

/** What the app module exports. */
export interface AppModule {
  mount(options: MountOptions): WidgetController;
}
