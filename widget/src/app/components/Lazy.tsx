import { signal } from '@preact/signals-core';
import type { ComponentType } from 'preact';

/** Fetches a view's chunk once; `v` holds the view once it is in, so a later draw shows it at once. */
export interface Loader<P> {
  (): Promise<ComponentType<P>>;
  v?: ComponentType<P>;
  p?: Promise<ComponentType<P>>;
}

/** A loader for a view whose code (and its own styles) is a chunk of its own. */
export function lazy<P>(load: () => Promise<ComponentType<P>>): Loader<P> {
  const loader: Loader<P> = () =>
    (loader.p ??= load().then(
      (v) => (loader.v = v),
      (error) => {
        loader.p = undefined; // tried again on the next draw
        throw error;
      },
    ));
  return loader;
}

/** Counts chunks arrived: the view tree reads it, so an arrival re-renders the tree. */
const arrived = signal(0);

/**
 * A view from its own chunk, fetched the first time it is drawn (the chat's budget holds without
 * it), or shown at once when it was fetched ahead: nothing until the chunk is in. Its arrival
 * re-renders the whole tree from the one effect that draws it (index.tsx), so the signals the view
 * reads are tracked like everyone else's; a component's own state update would draw it outside.
 */
export function Lazy<P extends object>({ load, props }: { load: Loader<P>; props: P }) {
  void arrived.value;
  const V = load.v;
  if (V) return <V {...props} />;
  load().then(
    () => arrived.value++,
    () => {},
  );
  return null;
}
