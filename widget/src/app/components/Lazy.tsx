import { Component, type ComponentType } from 'preact';

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

/**
 * A view from its own chunk, fetched the first time it is drawn (the chat's budget holds without
 * it), or at once when it was fetched ahead: nothing until the chunk is in.
 */
export class Lazy<P extends object> extends Component<{ load: Loader<P>; props: P }, { V?: ComponentType<P> }> {
  override render({ load, props }: this['props'], { V = load.v }: this['state']) {
    if (V) return <V {...props} />;
    load().then((v) => this.setState({ V: v }), () => {});
    return null;
  }
}
