import type { Logger } from '../logger';
import type { Clock } from './clock';

/** How long a node serves its cached copy before reading the store again (other nodes' edits). */
const FRESH_MS = 5_000;

export interface SavedSettingsOptions<Row, T> {
  /** Reads every saved edit from its table. */
  load: () => Promise<Row[]>;
  /** The key and checked value of a row; throws when the row no longer passes its schema. */
  validate: (row: Row) => [key: string, value: T];
  /** Logs a row `validate` rejected; the row is ignored. */
  rejected: (row: Row, error: unknown) => void;
  clock: Clock;
  log?: Logger;
  /** Names the settings in the log when a background refresh fails (`site settings`). */
  name: string;
}

/**
 * A cache of the edits admins saved over the config file's values, by key.
 * It is read from the store again when older than a few seconds, so every
 * node converges on the same edits; concurrent refreshes share one read.
 */
export class SavedSettings<Row, T> {
  private stored = new Map<string, T>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;

  constructor(private readonly options: SavedSettingsOptions<Row, T>) {}

  /** The saved edit of a key, if any (as of the last read). */
  get(key: string): T | undefined {
    return this.stored.get(key);
  }

  has(key: string): boolean {
    return this.stored.has(key);
  }

  /** Reads every saved edit; one that no longer validates is logged and ignored. */
  async refresh(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const rows = await this.options.load();
        const next = new Map<string, T>();
        for (const row of rows) {
          try {
            const [key, value] = this.options.validate(row);
            next.set(key, value);
          } catch (error) {
            this.options.rejected(row, error);
          }
        }
        this.stored = next;
        this.loadedAt = this.options.clock.now().getTime();
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** Refreshes when the cache is old; for the asynchronous paths (listeners, routes). */
  async fresh(): Promise<void> {
    if (this.isStale()) await this.refresh();
  }

  /** For the synchronous readers: serves the cache and starts a refresh in the background when it is old. */
  peek(): void {
    if (this.isStale() && !this.loading) {
      this.refresh().catch((error: unknown) => this.options.log?.debug({ err: error }, `${this.options.name} refresh failed`));
    }
  }

  private isStale(): boolean {
    return this.options.clock.now().getTime() - this.loadedAt > FRESH_MS;
  }
}
