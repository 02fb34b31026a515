import type { WidgetModel } from '../../models/widget-model';

/** The open menu's looks, shipped with its items rather than in the app's stylesheet. */
const CSS =
  '.mn{position:absolute;top:38px;inset-inline-end:0;z-index:1;min-width:230px;padding:6px;border-radius:10px;background:var(--bg);color:var(--fg);box-shadow:0 6px 20px #0003;display:grid;gap:2px}' +
  '.mn button{text-align:start;padding:9px 10px;border-radius:6px}.mn button:hover{background:var(--soft)}.mn button:disabled{opacity:.6}' +
  '.mn p{font-size:12px;color:var(--mute);padding:0 10px}.mn p:empty{display:none}';

/**
 * The chat menu's items, loaded the first time the menu opens (the chat's budget holds without
 * them): stop (or allow again) follow-up messages, the conversation by email when the server
 * sends email, and deleting everything the site holds about the visitor (their consent is
 * withdrawn with it). What an action did is said in the menu itself.
 */
export function MenuItems({ model }: { model: WidgetModel }) {
  const config = model.config.value!;
  const t = config.followUpTexts;
  const fu = model.followUps;
  const out = fu.optedOut.value;
  const asked = fu.transcript.value;
  const notSent = config.ui.notSent;
  return (
    <>
      <style>{CSS}</style>
      <button onClick={() => void fu.setAllowed(!!out, { stopped: t.stopped, notSent })}>{out ? t.allow : t.stop}</button>
      {config.email && (
        <button disabled={asked === 'sending' || asked === 'sent'} onClick={() => void fu.emailTranscript({ transcriptSent: t.transcriptSent, notSent })}>
          {t.transcript}
        </button>
      )}
      <button onClick={() => confirm(t.eraseConfirm) && void model.eraseMine()}>{t.erase}</button>
      <p role="status">{fu.said.value}</p>
    </>
  );
}
