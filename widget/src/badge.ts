/**
 * The launcher's unread badge and the preview bubble of the latest agent message, loaded by the
 * loader only for a returning visitor who has unread messages (or once the app reports some), so
 * the loader itself stays small. It draws into the loader's shadow root and names the launcher
 * with the count ("Open chat, 1 unread message"). Text is only ever set as text.
 */
import type { FollowUpTexts } from '../../protocol/src/follow-ups';

/** What the badge shows, read afresh on every update. */
export interface BadgeState {
  open: boolean;
  count: number;
  latest: { authorName: string | null; text: string } | null;
  /** The launcher's name without the count ("Open chat", or the launcher's text). */
  name: string;
  language: string;
  texts: Pick<FollowUpTexts, 'unread' | 'dismiss'> | undefined;
}

const CSS =
  'b{position:absolute;top:-6px;right:-6px;min-width:22px;height:22px;box-sizing:border-box;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;font:700 12px/22px system-ui}' +
  '.tip{position:fixed;bottom:calc(var(--parley-offsetY,20)*1px + 68px);right:calc(var(--parley-offsetX,20)*1px);z-index:2147483000;display:flex;max-width:min(300px,80vw);' +
  'background:#fff;color:#111827;border-radius:12px;box-shadow:0 4px 14px #0004;font:14px/1.4 system-ui}' +
  '.tip[hidden]{display:none}.tip button{all:unset;cursor:pointer;padding:10px 12px}.tip button:focus-visible{outline:3px solid #93c5fd}' +
  '.tip button:first-child{overflow:hidden;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical}' +
  ':host([data-position=left]) .tip{right:auto;left:calc(var(--parley-offsetX,20)*1px)}';

/** Draws the badge and the preview; returns the update to call whenever the state may have changed. */
export function draw(shadowRoot: ShadowRoot, launcher: HTMLButtonElement, state: () => BadgeState, openChat: () => void): () => void {
  const style = document.createElement('style');
  style.textContent = CSS;
  const dot = document.createElement('b');
  dot.setAttribute('aria-hidden', 'true');
  launcher.append(dot);
  const tip = document.createElement('div');
  tip.className = 'tip';
  const text = document.createElement('button');
  const close = document.createElement('button');
  close.textContent = '×';
  tip.append(text, close);
  shadowRoot.append(style, tip);
  let dismissed: string | null = null;

  const update = (): void => {
    const { open, count, latest, name, language, texts } = state();
    const forms = texts?.unread;
    let rule = 'other';
    try {
      rule = new Intl.PluralRules(language).select(count);
    } catch {
      // an unknown language: the general form
    }
    const words = forms ? (forms[rule as 'one'] ?? forms.other).replace('{n}', String(count)) : String(count);
    launcher.setAttribute('aria-label', count && !open ? `${name}, ${words}` : name);
    dot.textContent = count > 9 ? '9+' : String(count);
    dot.hidden = !count || open;
    const preview = latest ? (latest.authorName ? `${latest.authorName}: ` : '') + latest.text : '';
    text.textContent = preview;
    tip.hidden = !preview || open || dismissed === preview;
    close.setAttribute('aria-label', texts?.dismiss || 'Dismiss');
  };
  text.addEventListener('click', openChat);
  close.addEventListener('click', () => {
    dismissed = text.textContent;
    update();
  });
  update();
  return update;
}
