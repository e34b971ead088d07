/**
 * The listener bookkeeping behind `GraphStore.onGraphChanged`, written once
 * for every backend. A backend supplies how to watch its database (LISTEN on
 * PostgreSQL, polling on SQLite) and reports versions; the hub keeps the
 * listeners, starts watching with the first one and stops with the last, and
 * reports each new version once, never going back to an older one.
 */
import type { GraphChangeListener } from './store.js';

/** How a backend watches its database for changes made by other processes. */
export interface GraphWatch {
  /** Begin watching; resolves once changes committed from now on will be seen. */
  start(): Promise<void>;
  /** Stop watching and release what `start` took. */
  stop(): Promise<void>;
}

/** Listeners of graph changes, fed by a backend. */
export class GraphChangeHub {
  private readonly listeners = new Set<GraphChangeListener>();
  /** The newest version reported (or read as the baseline); null before any. */
  private last: number | null = null;
  private starting: Promise<void> | null = null;
  private closed = false;

  /**
   * @param watch how the backend watches for other processes' writes.
   * @param readVersion reads the graph version from the database.
   */
  constructor(
    private readonly watch: GraphWatch,
    private readonly readVersion: () => Promise<number>,
  ) {}

  /** Add a listener; see `GraphChangeSource.onGraphChanged`. */
  async subscribe(listener: GraphChangeListener): Promise<() => void> {
    if (this.closed) throw new Error('The store is closed; open it again to watch for graph changes.');
    this.listeners.add(listener);
    try {
      this.starting ??= this.startWatching();
      await this.starting;
    } catch (error) {
      this.listeners.delete(listener);
      this.starting = null;
      throw error;
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.starting) {
        this.starting = null;
        void this.watch.stop();
      }
    };
  }

  private async startWatching(): Promise<void> {
    await this.watch.start();
    // Changes committed before watching began are not reported: read the baseline now.
    await this.recheck();
  }

  /**
   * A version seen after a commit (this process's own write, or a notification).
   * Reported when newer than the last one.
   */
  report(version: number): void {
    if (this.last !== null && version <= this.last) return;
    this.last = version;
    this.emit(version);
  }

  /**
   * Read the version from the database and report it if it differs from the
   * last one (after a lost connection, when notifications may have been missed).
   * The first read only sets the baseline.
   */
  async recheck(): Promise<void> {
    const version = await this.readVersion();
    if (this.last === null) {
      this.last = version;
      return;
    }
    if (version === this.last) return;
    // The database is the truth here, even when it went back (a restored backup).
    this.last = version;
    this.emit(version);
  }

  /** True while at least one listener is subscribed. */
  get watching(): boolean {
    return this.listeners.size > 0;
  }

  /** Drop every listener and stop watching (the store is closing). */
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    if (this.starting) {
      const starting = this.starting;
      this.starting = null;
      await starting.catch(() => undefined);
      await this.watch.stop();
    }
  }

  private emit(version: number): void {
    for (const listener of [...this.listeners]) {
      try {
        listener({ version });
      } catch (error) {
        // One failing listener must not keep the others stale.
        console.error(JSON.stringify({ level: 'error', msg: 'graph change listener failed', err: String((error as Error)?.stack ?? error) }));
      }
    }
  }
}
