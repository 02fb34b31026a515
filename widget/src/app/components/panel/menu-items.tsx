import type { WidgetModel } from '../../models/widget-model';

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
