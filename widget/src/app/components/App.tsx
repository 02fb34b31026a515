import { Component, type ComponentChildren } from 'preact';
import type { WidgetModel } from '../models/widget-model';
import { Panel } from './panel/Panel';

/** Renders nothing once anything below it throws, and logs that once: a widget bug must not break the host page. */
class ErrorBoundary extends Component<{ children: ComponentChildren }, { failed: boolean }> {
  override state = { failed: false };
  override componentDidCatch(error: unknown): void {
    if (!this.state.failed) console.error('[parley] widget crashed', error);
    this.setState({ failed: true });
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

export function App({ model }: { model: WidgetModel }) {
  return (
    <ErrorBoundary>
      <Panel model={model} />
    </ErrorBoundary>
  );
}
