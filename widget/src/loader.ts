/**
 * The widget's facade: a classic script that fetches the launcher's few settings, draws it in the
 * site's (and the page's) colours, and loads the app and the site's full config only on intent (a
 * pointer over the launcher, focus on it, a touch or a click) or when the visitor already has a
 * live conversation; never merely because the page went idle. It writes nothing to storage, opens
 * no socket, and never throws into the host page.
 *
 * A page may override the presentation (never the survey's fields or consent) with the script
 * tag's data-* attributes (see overrides.ts) and with `ChatWidget.init({...})`, which works before
 * the script has loaded through a queue:
 *
 *   window.ChatWidget = window.ChatWidget || { q: [] };
 *   ChatWidget.q.push(['init', { locale: 'de', colors: { primary: '#0f766e' }, values: { plan: 'pro' } }]);
 *
 * and at any time after, when it re-applies at once.
 */

import type { PublicLauncher, PublicSiteConfig } from '../../protocol/src/survey';
import type { UnreadSummary } from '../../protocol/src/follow-ups';
import type { BadgeState } from './badge';
import type { AppModule, WidgetController } from './mount';
import { fromDataset, fromInit } from './overrides';

const LAUNCHER_CSS =
  ':host{all:initial}' +
  '.launcher{position:fixed;bottom:calc(var(--parley-offsetY,20)*1px);right:calc(var(--parley-offsetX,20)*1px);z-index:2147483000;min-width:56px;height:56px;border:0;border-radius:28px;' +
  'background:var(--parley-primary,#2563eb);color:var(--parley-onPrimary,#fff);cursor:pointer;display:flex;align-items:center;gap:8px;' +
  'box-shadow:0 4px 14px #0004;padding:0 14px;font:600 15px system-ui}' +
  ':focus-visible{outline:3px solid #93c5fd;outline-offset:2px}' +
  ':host([data-position=left]) .launcher{right:auto;left:calc(var(--parley-offsetX,20)*1px)}';

const CHAT_ICON =
  '<svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" ' +
  'd="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-4 4V5a2 2 0 0 1 2-2zm3 6v2h10V9zm0-3v2h10V6zm0 6v2h7v-2z"/></svg><span></span>';

/** The app's and the badge's content-hashed paths, written in by the build (rollup.config.mjs). */
declare const __WIDGET_APP__: string;
declare const __WIDGET_BADGE__: string;

/** How long the launcher waits for the site's colours before it shows in the default ones. */
const CONFIG_WAIT = 3000;

let logged = false;
const fail = (err: unknown): void => {
  if (!logged) console.error('[parley]', err);
  logged = true;
};

function start(): void {
  const script = (document.currentScript ??
    document.querySelector('script[src*="widget.js"][data-site]')) as HTMLScriptElement | null;
  // a script a single-page app took out again before it ran (parley-chat's unmount) stays out
  if (script && !script.isConnected) return;
  const siteId = script?.dataset.site;
  if (!script || !siteId) throw new Error('no data-site');
  // the src property is already absolute
  const origin = new URL(script.src).origin;
  let overrides = fromDataset({}, script.dataset);

  const host = document.createElement('div');
  host.id = 'parley-widget';
  const shadowRoot = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = LAUNCHER_CSS;
  const launcher = document.createElement('button');
  launcher.className = 'launcher';
  launcher.innerHTML = CHAT_ICON; // a constant, never visitor text
  const label = launcher.lastChild as HTMLElement;
  shadowRoot.append(style, launcher);

  /** The launcher's looks and names; the full config, asked for on intent. */
  let look: PublicLauncher | undefined;
  let config: PublicSiteConfig | undefined;
  let asked: Promise<unknown> | undefined;
  let requested: Promise<unknown> | undefined;
  let app: Promise<AppModule> | undefined;
  let mounted: Promise<WidgetController> | undefined;
  let controller: WidgetController | undefined;
  // what the launcher shows beyond its looks: the panel is open, unread agent messages, the latest of them
  const shown: Omit<BadgeState, 'language' | 'texts'> = { open: false, count: 0, latest: null, name: '' };
  /** The badge's words, from the unread summary (the config may not be loaded). */
  let badgeTexts: BadgeState['texts'];
  /** The conversation the badge (or an email's link) is about, to open at. */
  let focus: string | undefined;
  /** The badge's own small module, loaded the first time there is something unread. */
  let badge: Promise<() => void> | undefined;
  const drawBadge = (): void => {
    if (shown.count || badge)
      safe(
        (badge ??= (import(/* @vite-ignore */ origin + __WIDGET_BADGE__) as Promise<typeof import('./badge')>).then((m) =>
          m.draw(shadowRoot, launcher, () => ({ ...shown, language: look?.language ?? 'en', texts: config?.followUpTexts ?? badgeTexts }), () =>
            safe(mount(true).then((c) => c.open())),
          ),
        )).then((update) => update()),
      );
  };

  /** Shows the site's looks with the page's overrides on top (the overrides alone until the settings are in). */
  const apply = (): void => {
    // the launcher's settings name only what differs from the defaults; the full config (with the app) names everything
    const theme = { ...look?.theme, ...config?.theme, ...overrides } as Record<string, string | undefined>;
    for (const key of ['primary', 'onPrimary', 'offsetX', 'offsetY']) if (theme[key] != null) host.style.setProperty(`--parley-${key}`, theme[key]!);
    for (const key of ['position', 'mode']) if (theme[key]) host.dataset[key] = theme[key];
    // with its text shown, the launcher is named by that text; else by the translated "Open chat"
    const name = (theme.launcher === 'text' && (overrides.launcherText ?? look?.launcher)) || '';
    label.textContent = name;
    label.hidden = !name;
    launcher.setAttribute('aria-label', (shown.name = name || (shown.open ? look?.closeChat : look?.openChat) || 'Open chat'));
    drawBadge();
    if (config) controller?.set(config, overrides);
  };

  // a reply to an older request (a language the page has since changed) is dropped: it waits for the latest instead;
  // encodeURIComponent joins the browser's languages with commas itself (as String() would)
  const call = (what: string, init?: RequestInit): Promise<any> =>
    fetch(`${origin}/api/v1/sites/${encodeURIComponent(siteId)}/${what}?lang=${encodeURIComponent(overrides.locale || (navigator.languages as unknown as string))}`, init).then(
      (res) => (res.ok ? res.json() : Promise.reject(res.status)),
    );
  const ask = <T>(what: string, use: (value: T) => void, latest: () => Promise<unknown> | undefined): Promise<unknown> => {
    const mine: Promise<unknown> = call(what).then((value: T) => (mine == latest() ? (use(value), apply()) : latest()));
    return mine;
  };
  const loadLook = (): Promise<unknown> => (asked = ask<PublicLauncher>('launcher', (l) => (look = l), () => asked));
  const load = (): Promise<unknown> => (requested = ask<PublicSiteConfig>('config', (c) => (config = c), () => requested));

  const loadApp = (): Promise<AppModule> =>
    (app ??= (import(/* @vite-ignore */ origin + __WIDGET_APP__) as Promise<AppModule>).catch((err) => {
      app = undefined; // a later intent may try again
      throw err;
    }));
  const mount = (open: boolean): Promise<WidgetController> =>
    (mounted ??= loadApp().then(
      (m) =>
        (controller = m.mount({
          shadowRoot,
          launcher,
          siteId,
          origin,
          open,
          // a config that failed to load is asked for once more: the visitor wants to chat now
          config: (requested ?? load()).catch(load).then(() => config!),
          overrides,
          focus,
          later,
          emit,
          badge: (open, count, latest) => {
            Object.assign(shown, { open, count, latest });
            apply();
          },
        })),
    ));
  const safe = (p: Promise<unknown>): void => void p.catch(fail);

  // the app and the full config load together, once the visitor shows an interest
  const intent = (): void => {
    requested ??= load();
    safe(requested);
    safe(loadApp());
  };
  for (const type of ['pointerenter', 'focus', 'touchstart']) launcher.addEventListener(type, intent, { once: true, passive: true });
  // once mounted, the app owns the launcher's clicks
  launcher.addEventListener('click', () => {
    if (!mounted) safe(mount(true));
  });

  /** The page's event handlers (`ChatWidget.on`); a handler that throws is logged, never the widget's problem. */
  const handlers: Record<string, Set<(payload?: unknown) => void>> = {};
  const emit = (event: string, payload?: unknown): void =>
    handlers[event]?.forEach((handler) => {
      try {
        handler(payload);
      } catch (err) {
        fail(err);
      }
    });
  /** Calls for the app made before it loaded (setUser, setAttributes…): it replays them in order when it mounts. */
  const later: unknown[][] = [];
  let ready: string | undefined;
  const toApp =
    (name: string, load?: 1) =>
    (...args: unknown[]): unknown =>
      controller ? controller.call(name, args) : (later.push([name, ...args]), load && safe(mount(false)));
  const api: Record<string, (...args: any[]) => unknown> = {
    open: () => safe(mount(true).then((c) => c.open())),
    close: () => mounted && safe(mounted.then((c) => c.close())),
    toggle: () => (mounted ? safe(mounted.then((c) => c.toggle())) : api.open!()),
    show: () => (launcher.style.display = ''),
    hide: () => (launcher.style.display = 'none'),
    init: (options) => {
      const locale = overrides.locale;
      overrides = fromInit(overrides, options);
      // calls queued before the script loaded come before the config is asked for, in the language they set
      if (asked && overrides.locale !== locale) {
        safe(loadLook());
        if (requested) safe(load());
      } else if (asked) apply();
    },
    setLocale: (locale) => api.init!({ locale }),
    prefill: (values) => api.init!({ values }),
    setUser: toApp('setUser'),
    setAttributes: toApp('setAttributes'),
    sendMessage: toApp('sendMessage', 1),
    // forget this visitor in this browser: the app (if loaded) closes its socket; the badge goes
    reset: () => {
      later.length = 0;
      controller?.call('reset', []);
      Object.assign(shown, { count: 0, latest: null });
      apply();
      localStorage.removeItem(`parley:${siteId}`);
    },
    // `ready` has happened for a handler added after it: it runs at once
    // a single-page app's teardown: nothing of the widget stays (the visitor is remembered: that is reset); the script may run again
    unmount: () => {
      host.remove();
      if (mounted) safe(mounted.then((c) => c.destroy()));
      delete page.ChatWidget;
    },
    on: (event, handler) => typeof handler == 'function' && ((handlers[event] ??= new Set()).add(handler), event == ready && handler()),
    off: (event, handler) => handlers[event]?.delete(handler),
  };
  /** Runs one `[name, ...args]` command from the page; nothing it does may throw into the page. */
  const run = (command: unknown[]): void => {
    try {
      api[command[0] as string]?.(...command.slice(1));
    } catch (err) {
      fail(err);
    }
  };
  const page = window as unknown as { ChatWidget?: { q?: { forEach?(fn: typeof run): void } } };
  const widget: Record<string, unknown> = { q: { push: run } };
  for (const name in api) widget[name] = (...args: unknown[]) => run([name, ...args]);
  const queued = page.ChatWidget?.q;
  page.ChatWidget = widget;
  queued?.forEach?.(run);

  // the launcher shows once it has the site's colours, or in the defaults if they are slow or missing
  const attach = (): void => {
    document.body.append(host);
    emit((ready = 'ready'));
  };
  void Promise.race([loadLook(), new Promise((resolve) => setTimeout(resolve, CONFIG_WAIT))])
    .catch(fail)
    .then(() => {
      apply();
      if (document.body) attach();
      else document.addEventListener('DOMContentLoaded', attach);
    });

  let token: string | undefined;
  try {
    token = JSON.parse(localStorage.getItem(`parley:${siteId}`)!)?.token;
  } catch {
    // storage blocked or unreadable: behave as a first visit
  }
  // an email's link back, `#parley-chat=<conversation>`, opens the chat there
  focus = /parley-chat=([\w-]+)/.exec(location.hash)?.[1];
  if (focus) safe(mount(true));
  else if (token)
    // a browser that has chatted before: anything unread? (a text/plain body needs no preflight; nothing caches it)
    safe(
      call('unread', { method: 'POST', body: token }).then(
          (u: UnreadSummary) => {
            focus = u.conversationId ?? undefined;
            Object.assign(shown, { count: u.unread, latest: u.latest });
            if (u.unread) emit('unread:changed', { count: u.unread });
            badgeTexts = u.texts;
            drawBadge();
            // a live conversation connects at once; else the app waits for the visitor
            if (u.open) return mount(false);
          },
          () => mount(false),
        ),
    );
}

try {
  start();
} catch (err) {
  fail(err);
}
