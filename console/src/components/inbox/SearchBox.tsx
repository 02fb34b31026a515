import type { JSX } from 'preact';
import type { SearchModel } from '../../models/search';

/** The search field above the list; Escape or "Clear search" goes back to the inbox. */
export function SearchBox({ search }: { search: SearchModel }): JSX.Element {
  return (
    <div class="search-box" role="search">
      <input
        type="search"
        id="inbox-search"
        aria-label="Search"
        placeholder="Search name, email, order, message…"
        maxLength={200}
        autoComplete="off"
        value={search.text.value}
        onInput={(e) => search.type(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            search.clear();
          }
        }}
      />
      {search.active.value && (
        <button type="button" class="link-button" onClick={() => search.clear()}>
          Clear search
        </button>
      )}
    </div>
  );
}
