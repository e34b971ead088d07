/**
 * Watching for graph changes made by other instances: a dedicated connection
 * LISTENs on a channel that every graph write NOTIFYs (inside its transaction,
 * so the notice goes out only when the write commits). When the connection is
 * lost it reconnects with backoff and asks the hub to re-read the version,
 * since notices sent meanwhile are gone.
 */
import type pg from 'pg';

import type { GraphWatch } from '../graph-change-hub.js';
import { createClient, describeUrl, type PostgresPoolOptions } from './postgres-pool.js';

/** The channel graph writes notify; the payload is the new graph version. */
export const GRAPH_CHANGED_CHANNEL = 'kg_graph_changed';

/** Reconnection delays: from the first to the largest, doubling. */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;

/** What the listener reports to. */
export interface ListenerSink {
  /** A notification arrived with this version. */
  notified(version: number): void;
  /** The connection came back: notifications may have been missed. */
  reconnected(): Promise<void>;
}

/** A `GraphWatch` over LISTEN/NOTIFY. */
export class PostgresGraphListener implements GraphWatch {
  private client: pg.Client | null = null;
  private active = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay = RETRY_FIRST_MS;

  constructor(
    private readonly url: string,
    private readonly options: PostgresPoolOptions,
    private readonly sink: ListenerSink,
  ) {}

  async start(): Promise<void> {
    this.active = true;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.active = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = createClient(this.url, { ...this.options, applicationName: `${this.options.applicationName ?? 'conflict-kg'} listener` });
    // Attached before connecting: an error event without a handler would crash the process.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    client.on('notification', (message) => {
      if (message.channel !== GRAPH_CHANGED_CHANNEL) return;
      const version = Number(message.payload);
      if (Number.isFinite(version)) this.sink.notified(version);
    });
    await client.connect();
    await client.query(`LISTEN ${GRAPH_CHANGED_CHANNEL}`);
    if (!this.active) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryDelay = RETRY_FIRST_MS;
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (this.client !== client || !this.active) return;
    this.client = null;
    console.error(
      JSON.stringify({ level: 'warn', msg: 'graph change listener lost its connection; reconnecting', err: error?.message ?? 'ended' }),
    );
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.active || this.retryTimer) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.reconnect();
    }, delay);
    this.retryTimer.unref();
  }

  private async reconnect(): Promise<void> {
    try {
      await this.connect();
      if (this.active) await this.sink.reconnected();
    } catch (error) {
      console.error(
        JSON.stringify({
          level: 'warn',
          msg: `graph change listener cannot reach ${describeUrl(this.url)}; retrying`,
          err: (error as Error).message,
        }),
      );
      this.scheduleReconnect();
    }
  }
}
