import { Component, type ComponentType, type JSX } from 'preact';
import type { ConsoleModel } from '../models/console';

type Screen = ComponentType<{ model: ConsoleModel }>;

/**
 * A screen whose code is a chunk of its own (the admin screens): fetched when it is first opened,
 * so the inbox loads without it. "Loading…" meanwhile; if the fetch fails (offline, or a new
 * release replaced the chunk), a sentence and a button to try again.
 */
export class LazyScreen extends Component<{ model: ConsoleModel; load: () => Promise<Screen> }, { Screen?: Screen; failed?: boolean }> {
  private loading = false;

  private fetch(): void {
    if (this.loading) return;
    this.loading = true;
    this.props.load().then(
      (Screen) => this.setState({ Screen, failed: false }),
      () => {
        this.loading = false;
        this.setState({ failed: true });
      },
    );
  }

  override componentDidMount(): void {
    this.fetch();
  }

  override componentDidUpdate(previous: this['props']): void {
    // another screen asked for: start over with its chunk
    if (previous.load !== this.props.load) {
      this.loading = false;
      this.setState({ Screen: undefined, failed: false }, () => this.fetch());
    }
  }

  override render({ model }: this['props'], { Screen, failed }: this['state']): JSX.Element {
    if (Screen) return <Screen model={model} />;
    if (failed)
      return (
        <div class="boot" role="alert">
          <p>This screen could not be loaded. Check the connection and try again.</p>
          <button type="button" class="button" onClick={() => this.fetch()}>
            Try again
          </button>
        </div>
      );
    return (
      <p class="boot" role="status">
        Loading…
      </p>
    );
  }
}
