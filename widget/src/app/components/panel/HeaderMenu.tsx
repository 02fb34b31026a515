import { Component } from 'preact';
import type { WidgetModel } from '../../models/widget-model';

type Items = typeof import('./menu-items').MenuItems;
const load = () => import('./menu-items');

/** The chat header's menu button; its items load the first time it opens. */
export class HeaderMenu extends Component<{ model: WidgetModel }, { Items?: Items }> {
  override render({ model }: { model: WidgetModel }, { Items }: { Items?: Items }) {
    const fu = model.followUps;
    const open = fu.menuOpen.value;
    if (open && !Items) void load().then((m) => this.setState({ Items: m.MenuItems }));
    return (
      <div class="menu">
        <button class="x" aria-label={model.config.value!.followUpTexts.menu} aria-expanded={open} aria-controls="parley-menu" onClick={() => (fu.menuOpen.value = !open)}>
          <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
            <path fill="currentColor" d="M5 10a2 2 0 1 1 0 4 2 2 0 0 1 0-4zm7 0a2 2 0 1 1 0 4 2 2 0 0 1 0-4zm7 0a2 2 0 1 1 0 4 2 2 0 0 1 0-4z" />
          </svg>
        </button>
        <div id="parley-menu" class="mn" hidden={!open}>
          {Items && <Items model={model} />}
        </div>
      </div>
    );
  }
}
