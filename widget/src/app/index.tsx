import { effect } from '@preact/signals-core';
import { render } from 'preact';
import { App } from './components/App';
import { PANEL_ID } from './components/panel/Panel';
import { createWidgetModel } from './models/widget-model';
import { CSS } from './styles';
import type { MountOptions, WidgetController } from '../mount';

export type { MountOptions, WidgetController };

/** Renders the widget into the loader's shadow root and takes over the launcher. */
export function mount(options: MountOptions): WidgetController {
  const { shadowRoot, host, launcher } = options;
  const model = createWidgetModel(options);
  const style = document.createElement('style');
  style.textContent = CSS;
  const root = document.createElement('div');
  shadowRoot.append(style, root);

  launcher.addEventListener('click', model.toggle);
  launcher.setAttribute('aria-controls', PANEL_ID);
  let wasOpen = options.open;
  effect(() => {
    const open = model.isOpen.value;
    launcher.setAttribute('aria-label', open ? 'Close chat' : 'Open chat');
    launcher.setAttribute('aria-expanded', String(open));
    // give focus back to the launcher when it was inside the panel
    if (wasOpen && !open && shadowRoot.activeElement) launcher.focus();
    wasOpen = open;
  });
  effect(() => {
    if (model.unread.value) launcher.dataset.unread = String(model.unread.value);
    else delete launcher.dataset.unread;
  });
  effect(() => {
    const config = model.config.value;
    if (!config) return;
    host.style.setProperty('--parley-primary', config.theme.primary);
    host.style.setProperty('--parley-on-primary', config.theme.onPrimary);
    host.dataset.position = config.theme.position;
    launcher.title = config.texts.launcher;
  });

  // Views read signals while they render; re-rendering the whole (small) tree whenever one of
  // them changes replaces @preact/signals' per-component tracking at a fraction of its weight.
  // So components must read signals in render only, never in their own state updates.
  effect(() => render(<App model={model} />, root));
  return { open: model.open, close: model.close, toggle: model.toggle };
}
