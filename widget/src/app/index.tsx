import { effect } from '@preact/signals-core';
import { render } from 'preact';
import { Panel, PANEL_ID } from './components/panel/Panel';
import { createWidgetModel } from './models/widget-model';
import { CSS } from './styles';
import type { MountOptions, WidgetController } from '../mount';

export type { MountOptions, WidgetController };

/** Renders the widget into the loader's shadow root and takes over the launcher's clicks and state (the loader keeps its looks). */
export function mount(options: MountOptions): WidgetController {
  const { shadowRoot, launcher } = options;
  const model = createWidgetModel(options);
  const style = document.createElement('style');
  style.textContent = CSS;
  const root = document.createElement('div');
  shadowRoot.append(style, root);

  launcher.addEventListener('click', model.toggle);
  launcher.setAttribute('aria-controls', PANEL_ID);
  let wasOpen = options.open;
  let wasCount = 0;
  const stop = effect(() => {
    const open = model.isOpen.value;
    const { count, latest } = model.followUps.unread.value;
    if (open != wasOpen) options.emit(open ? 'open' : 'close');
    if (count != wasCount) options.emit('unread:changed', { count: (wasCount = count) });
    // the loader draws the badge and the preview, and names the launcher (what a click does, and the count)
    options.badge(open, count, latest);
    launcher.setAttribute('aria-expanded', String(open));
    // give focus back to the launcher when it was inside the panel
    if (wasOpen && !open && shadowRoot.activeElement) launcher.focus();
    wasOpen = open;
  });

  // Views read signals while they render; re-rendering the whole (small) tree whenever one of
  // them changes replaces @preact/signals' per-component tracking at a fraction of its weight.
  // So components must read signals in render only, never in their own state updates.
  const stopRender = effect(() => render(<Panel model={model} />, root));
  // what the page asked for before the app was here, in order
  for (const [name, ...args] of options.later.splice(0)) model.call(name as string, args);
  if (options.open) options.emit('open');
  const end = model.destroy;
  model.destroy = () => {
    end();
    stop();
    stopRender();
    render(null, root);
    launcher.removeEventListener('click', model.toggle);
  };
  return model;
}
