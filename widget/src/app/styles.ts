/**
 * The app's stylesheet, injected once into the shadow root, next to the loader's launcher rules
 * (which set the theme's defaults and the focus ring). Colours come from the theme's custom
 * properties and a light or dark palette (`data-mode` on the host: light, dark, or auto by the
 * system's setting). Sides are logical (inline-start/end), so a right-to-left language mirrors the
 * panel; only the panel's corner is physical, as the owner chose it. One rule a line, joined
 * without newlines; declarations several elements share are written once, for their selectors.
 */
const DARK = '{--bg:#1f2937;--fg:#f3f4f6;--mute:#9ca3af;--line:#4b5563;--soft:#111827;--err:#fca5a5;--link:#93c5fd;--wb:#78350f;--wf:#fef3c7;color-scheme:dark}';

export const CSS =
  ':host{--bg:#fff;--fg:#1f2937;--mute:#6b7280;--line:#d1d5db;--soft:#f9fafb;--err:#b91c1c;--link:var(--parley-primary);--wb:#fef3c7;--wf:#92400e}' +
  `:host([data-mode=dark])${DARK}` +
  `@media (prefers-color-scheme:dark){:host([data-mode=auto])${DARK}}` +
  '[hidden]{display:none!important}' +
  '*{box-sizing:border-box}' +
  ':focus-visible{outline:2px solid var(--link);outline-offset:1px}' +
  '.panel,.body,.survey,.ended,.field,.log,.msg{display:flex;flex-direction:column}' +
  '.body,.log,.hd{flex:1;min-height:0;min-width:0}' +
  'header,.primary,.mine .bubble,.send{background:var(--parley-primary);color:var(--parley-onPrimary)}' +
  '.x,.send{display:grid;place-items:center}' +
  '.ended,.composer{border-top:1px solid var(--line)}' +
  '.panel{position:fixed;bottom:calc(var(--parley-offsetY,20)*1px + 68px);right:calc(var(--parley-offsetX,20)*1px);z-index:2147483001;width:380px;height:600px;max-height:calc(100vh - 108px);max-width:calc(100vw - 40px);background:var(--bg);color:var(--fg);border-radius:16px;box-shadow:0 12px 40px #0004;overflow:hidden;font:14px/1.45 system-ui,sans-serif}' +
  ':host([data-position=left]) .panel{right:auto;left:calc(var(--parley-offsetX,20)*1px)}' +
  '@media (max-width:479px){.panel{inset:0;width:auto;height:auto;max-width:none;max-height:none;border-radius:0}}' +
  'header{display:flex;align-items:center;gap:8px;padding:14px 12px;padding-inline-start:18px}' +
  '.av{flex:none;display:grid;place-items:center;width:36px;height:36px;border-radius:50%;background:#0003;border:2px solid #fff6;font-weight:700;font-size:13px}' +
  // names an agent or a visitor chose sit apart from the text around them (as <bdi> would)
  'h2{margin:0;font-size:16px}h2,.author{unicode-bidi:isolate}' +
  '.sub,.org{font-size:12px}' +
  '.sub::before{content:"● ";color:#d1d5db}' +
  '.on::before{color:#4ade80}' +
  'button{font:inherit;cursor:pointer;border:0;padding:0;color:inherit;background:none}' +
  '.x{width:34px;height:34px;border-radius:8px}' +
  '.body{overflow:auto}' +
  '.survey,.ended{padding:18px;gap:14px}' +
  'p{margin:0}' +
  '.field{gap:5px;border:0;padding:0;margin:0;min-width:0}' +
  'label,legend{font-size:13px;font-weight:600;padding:0}' +
  'input,select,textarea{font:inherit;font-size:16px;color:inherit;width:100%;padding:9px 11px;border:1px solid var(--line);border-radius:8px;background:var(--bg)}' +
  '[aria-invalid=true]{border-color:var(--err)}' +
  '.check,.opt{display:flex;flex-flow:row wrap;align-items:flex-start;gap:8px}' +
  '.check input,.opt input{width:auto;margin:3px 0 0;accent-color:var(--parley-primary)}' +
  '.check label{flex:1;font-weight:400}' +
  '.check p{flex-basis:100%}' +
  '.help,.error,.meta,.author,.day,.count{font-size:12.5px;color:var(--mute)}' +
  '.req,.error,.failed .meta{color:var(--err)}' +
  '.link{text-decoration:underline}' +
  'a{color:var(--link)}' +
  '.primary{border-radius:8px;padding:11px 14px;font-weight:600}' +
  '.primary:disabled{opacity:.6}' +
  '.note{margin:auto;padding:24px;color:var(--mute)}' +
  '.status{padding:5px;text-align:center;font-size:12px;background:var(--wb);color:var(--wf)}' +
  '.log{overflow-y:auto;padding:16px;gap:10px;background:var(--soft)}' +
  '.msg{align-items:flex-start;max-width:82%;align-self:flex-start}' +
  '.mine{align-items:flex-end;align-self:flex-end}' +
  '.system{align-self:center;align-items:center;max-width:100%}' +
  '.author,.meta{margin:0 6px}' +
  '.bubble{padding:8px 12px;border-radius:16px;background:var(--bg);border:1px solid var(--line);white-space:pre-wrap;overflow-wrap:anywhere}' +
  '.theirs .bubble{border-end-start-radius:4px}' +
  '.mine .bubble{border-end-end-radius:4px;border:0}' +
  '.mine a{color:inherit}' +
  '.system .bubble{background:none;border:0;color:var(--mute)}' +
  '.pending{opacity:.6}' +
  '.ended{text-align:center}' +
  // once closed, the messages stop scrolling on their own and the body scrolls them with the rating below
  '.log:has(~.ended){flex:1 0 auto}' +
  '.day{align-self:center}' +
  '.count{flex-basis:100%;margin:0;text-align:end}' +
  '.count span{display:block;text-align:start}' +
  '.composer{display:flex;flex-wrap:wrap;align-items:flex-end;gap:8px;padding:10px 12px}' +
  '.composer textarea{flex:1;min-width:0;resize:none;height:44px;max-height:120px;border-radius:22px;padding:9px 14px}' +
  '.send{flex:none;width:42px;height:42px;border-radius:50%}' +
  '[dir=rtl] .send svg{transform:scaleX(-1)}' +
  '.launcher{transition:transform .15s}' +
  '.launcher:hover{transform:scale(1.06)}' +
  '.menu{position:relative}';
// the rating's stars and the menu's items bring their own rules with their chunks (Rating.tsx, menu-items.tsx)
