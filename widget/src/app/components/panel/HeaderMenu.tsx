import type { WidgetModel } from '../../models/widget-model';
import { Lazy, lazy } from '../Lazy';

const items = lazy(() => import('./menu-items').then((m) => m.MenuItems));

/** The chat header's menu button; its items load the first time it opens. */
export function HeaderMenu({ model }: { model: WidgetModel }) {
  const fu = model.followUps;
  const open = fu.menuOpen.value;
  return (
    <div class="menu">
      <button class="x" aria-label={model.config.value!.followUpTexts.menu} aria-expanded={open} aria-controls="parley-menu" onClick={() => (fu.menuOpen.value = !open)}>
        <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
          <path fill="currentColor" d="M5 10a2 2 0 1 1 0 4 2 2 0 0 1 0-4zm7 0a2 2 0 1 1 0 4 2 2 0 0 1 0-4zm7 0a2 2 0 1 1 0 4 2 2 0 0 1 0-4z" />
        </svg>
      </button>
      <div id="parley-menu" class="mn" hidden={!open}>
        {open && <Lazy load={items} props={{ model }} />}
      </div>
    </div>
  );
}
