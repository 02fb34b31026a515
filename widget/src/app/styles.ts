/**
 * The app's stylesheet, injected once into the shadow root; colours come from the theme's custom
 * properties. One rule a line, joined without newlines: the strings are folded into one at build time.
 */
export const CSS =
  ':host{--parley-primary:#2563eb;--parley-on-primary:#fff}' +
  '[hidden]{display:none!important}' +
  '.panel{position:fixed;bottom:88px;right:20px;z-index:2147483001;width:380px;height:600px;max-height:calc(100vh - 108px);max-width:calc(100vw - 40px);display:flex;flex-direction:column;background:#fff;color:#1f2937;border-radius:16px;box-shadow:0 12px 40px #00000038;overflow:hidden;font:14px/1.45 system-ui,sans-serif;text-align:start}' +
  ':host([data-position=left]) .panel{right:auto;left:20px}' +
  '@media (max-width:479px){.panel{inset:0;width:auto;height:auto;max-width:none;max-height:none;border-radius:0}}' +
  '*,*::before,*::after{box-sizing:border-box}' +
  'header{display:flex;align-items:center;gap:8px;padding:14px 12px 14px 18px;background:var(--parley-primary);color:var(--parley-on-primary)}' +
  '.hd{flex:1;min-width:0}' +
  'h2{margin:0;font-size:16px;font-weight:600}' +
  '.sub{margin:2px 0 0;font-size:12px;opacity:.9}' +
  '.sub::before{content:"● ";color:#d1d5db}' +
  '.on::before{color:#4ade80}' +
  'button{font:inherit;cursor:pointer}' +
  '.x{border:0;background:none;color:inherit;width:34px;height:34px;border-radius:8px;display:grid;place-items:center;padding:0}' +
  '.x:hover{background:#ffffff2e}' +
  'button:focus-visible,a:focus-visible{outline:2px solid #93c5fd;outline-offset:2px}' +
  '.body{flex:1;min-height:0;display:flex;flex-direction:column;overflow:auto}' +
  '.survey{padding:18px;display:flex;flex-direction:column;gap:14px}' +
  '.greeting{margin:0;font-size:15px}' +
  '.field{display:flex;flex-direction:column;gap:5px;border:0;padding:0;margin:0;min-width:0}' +
  'label,legend{font-size:13px;font-weight:600;padding:0}' +
  '.req{color:#dc2626}' +
  'input,select,textarea{font:inherit;color:inherit;width:100%;padding:9px 11px;border:1px solid #d1d5db;border-radius:8px;background:#fff}' +
  'input:focus,select:focus,textarea:focus{outline:2px solid var(--parley-primary);outline-offset:-1px}' +
  '[aria-invalid=true]{border-color:#dc2626}' +
  '.check,.opt{display:flex;flex-direction:row;align-items:flex-start;gap:8px;font-weight:400}' +
  '.check input,.opt input{width:auto;margin:3px 0 0;accent-color:var(--parley-primary)}' +
  '.check{flex-wrap:wrap}' +
  '.check label{flex:1;min-width:0;font-weight:400}' +
  '.check .error,.check .help{flex-basis:100%}' +
  '.help{margin:0;color:#6b7280;font-size:12.5px}' +
  '.error{margin:0;color:#b91c1c;font-size:12.5px}' +
  'a{color:var(--parley-primary)}' +
  '.primary{border:0;border-radius:8px;padding:11px 14px;background:var(--parley-primary);color:var(--parley-on-primary);font-weight:600}' +
  '.primary:disabled{opacity:.6;cursor:default}' +
  '.note{margin:auto;padding:24px;text-align:center;color:#6b7280}' +
  '.status{margin:0;padding:5px;text-align:center;font-size:12px;background:#fef3c7;color:#92400e}' +
  '.log{flex:1;min-height:0;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:10px;background:#f9fafb}' +
  '.msg{display:flex;flex-direction:column;align-items:flex-start;max-width:82%;align-self:flex-start}' +
  '.mine{align-items:flex-end;align-self:flex-end}' +
  '.system{align-self:center;align-items:center;max-width:100%}' +
  '.author{margin:0 6px 2px;font-size:11.5px;color:#6b7280}' +
  '.bubble{margin:0;padding:8px 12px;border-radius:16px;border-end-start-radius:4px;background:#fff;border:1px solid #e5e7eb;white-space:pre-wrap;overflow-wrap:anywhere}' +
  '.mine .bubble{border-radius:16px;border-end-end-radius:4px;background:var(--parley-primary);color:var(--parley-on-primary);border-color:transparent}' +
  '.mine .bubble a{color:inherit}' +
  '.system .bubble{background:none;border:0;color:#6b7280;font-size:12.5px;text-align:center}' +
  '.pending{opacity:.6}' +
  '.meta{margin:2px 6px 0;font-size:11px;color:#6b7280}' +
  '.failed .meta{color:#b91c1c}' +
  '.ended{padding:14px;display:flex;flex-direction:column;gap:8px;text-align:center;border-top:1px solid #e5e7eb;color:#6b7280}' +
  '.ended p{margin:0}' +
  '.composer{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid #e5e7eb;background:#fff}' +
  '.composer textarea{resize:none;height:42px;max-height:120px;border-radius:20px;padding:10px 14px}' +
  '.send{flex:none;width:42px;height:42px;border:0;border-radius:50%;display:grid;place-items:center;padding:0;background:var(--parley-primary);color:var(--parley-on-primary)}' +
  '[dir=rtl] .send svg{transform:scaleX(-1)}' +
  '.launcher[data-unread]::after{content:"";position:absolute;top:2px;right:2px;width:12px;height:12px;border-radius:50%;background:#ef4444;border:2px solid #fff}';
