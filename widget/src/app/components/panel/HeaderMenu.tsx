import type { WidgetModel } from '../../models/widget-model';

/**
 * The chat header's menu: stop (or allow again) follow-up messages after the chat, and, when the
 * server sends email, the conversation by email. What an action did is said in the menu itself.
 */
export function HeaderMenu({ model }: { model: WidgetModel }) {
  const config = model.config.value!;
  const t = config.followUpTexts;
  const fu = model.followUps;
  const open = fu.menuOpen.value;
  const out = fu.optedOut.value;
  const asked = fu.transcript.value;
  const notSent = config.ui.notSent;
  return (
    <div class="menu">
      <button class="x" aria-label={t.menu} aria-expanded={open} aria-controls="parley-menu" onClick={() => (fu.menuOpen.value = !open)}>
        <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
          <path fill="currentColor" d="M5 10a2 2 0 1 1 0 4 2 2 0 0 1 0-4zm7 0a2 2 0 1 1 0 4 2 2 0 0 1 0-4zm7 0a2 2 0 1 1 0 4 2 2 0 0 1 0-4z" />
        </svg>
      </button>
      <div id="parley-menu" class="mn" hidden={!open}>
        <button onClick={() => void fu.setAllowed(!!out, { stopped: t.stopped, notSent })}>{out ? t.allow : t.stop}</button>
        {config.email && (
          <button disabled={asked === 'sending' || asked === 'sent'} onClick={() => void fu.emailTranscript({ transcriptSent: t.transcriptSent, notSent })}>
            {t.transcript}
          </button>
        )}
        <p role="status">{fu.said.value}</p>
      </div>
    </div>
  );
}
