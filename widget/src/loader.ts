/**
 * The widget's facade: a classic script that draws the launcher at once and
 * loads the app (`/widget/app.js`) only on intent, on idle, or when the
 * visitor already has a conversation. It writes nothing to storage, opens no
 * socket, and never throws into the host page.
 */

import type { AppModule, WidgetController } from './mount';

const LAUNCHER_CSS =
  ':host{all:initial}' +
  '.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;width:56px;height:56px;border:0;border-radius:50%;' +
  'background:var(--parley-primary,#2563eb);color:var(--parley-on-primary,#fff);cursor:pointer;display:grid;place-items:center;' +
  'box-shadow:0 4px 14px rgba(0,0,0,.25);padding:0;transition:transform .15s}' +
  '.launcher:hover{transform:scale(1.06)}.launcher:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}' +
  ':host([data-position=left]) .launcher{right:auto;left:20px}';

const CHAT_ICON =
  '<svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" ' +
  'd="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-4 4V5a2 2 0 0 1 2-2zm3 6v2h10V9zm0-3v2h10V6zm0 6v2h7v-2z"/></svg>';

let logged = false;
const fail = (err: unknown): void => {
  if (!logged) console.error('[parley] widget failed', err);
  logged = true;
};

function start(): void {
  const script = (document.currentScript ??
    document.querySelector('script[src*="widget.js"][data-site]')) as HTMLScriptElement | null;
  const siteId = script?.dataset.site;
  if (!script || !siteId) throw new Error('widget script tag with data-site not found');
  const origin = new URL(script.src, location.href).origin;

  const host = document.createElement('div');
  host.id = 'parley-widget';
  const shadowRoot = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = LAUNCHER_CSS;
  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.setAttribute('aria-label', 'Open chat');
  launcher.setAttribute('aria-expanded', 'false');
  launcher.innerHTML = CHAT_ICON; // a constant, never visitor text
  shadowRoot.append(style, launcher);

  let app: Promise<AppModule> | undefined;
  let mounted: Promise<WidgetController> | undefined;
  let controller: WidgetController | undefined;

  const load = (): Promise<AppModule> =>
    (app ??= (import(/* @vite-ignore */ `${origin}/widget/app.js`) as Promise<AppModule>).catch((err) => {
      app = undefined; // a later intent may try again
      throw err;
    }));
  const mount = (open: boolean): Promise<WidgetController> =>
    (mounted ??= load().then((m) => (controller = m.mount({ shadowRoot, host, launcher, siteId, origin, open }))));
  const safe = (p: Promise<unknown>): void => void p.catch(fail);

  const intent = (): void => safe(load());
  for (const type of ['pointerenter', 'focus', 'touchstart']) launcher.addEventListener(type, intent, { once: true, passive: true });
  // once mounted, the app owns the launcher's clicks
  launcher.addEventListener('click', () => {
    if (!mounted) safe(mount(true));
  });

  let stored: string | null = null;
  try {
    stored = localStorage.getItem(`parley:${siteId}`);
  } catch {
    // storage blocked: behave as a first visit
  }
  if (stored) safe(mount(false));
  else if ('requestIdleCallback' in window) requestIdleCallback(intent, { timeout: 4000 });
  else setTimeout(intent, 3000);

  (window as unknown as { ChatWidget: Pick<WidgetController, 'open' | 'close'> }).ChatWidget = {
    open: () => (controller ? controller.open() : safe(mount(true).then((c) => c.open()))),
    close: () => (controller ? controller.close() : mounted && safe(mounted.then((c) => c.close()))),
  };

  const attach = (): void => void document.body.append(host);
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach);
}

try {
  start();
} catch (err) {
  fail(err);
}
