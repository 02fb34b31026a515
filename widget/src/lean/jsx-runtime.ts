import { type ComponentType, createElement, Fragment, type Key, type VNode } from 'preact';

type Props = Record<string, unknown>;

/**
 * The automatic JSX runtime on top of preact's own `createElement`, which the
 * renderer ships anyway: the widget build puts it in place of
 * `preact/jsx-runtime` (see rollup.config.mjs), whose vnode factory would be a
 * second copy of the same work. Children arrive in `props.children`, which
 * `createElement` keeps when it gets no further arguments.
 */
export function jsx(type: string | ComponentType<Props>, props: Props, key?: Key): VNode {
  return createElement(type as ComponentType<Props>, key === undefined ? props : { ...props, key });
}

export { Fragment, jsx as jsxs };
