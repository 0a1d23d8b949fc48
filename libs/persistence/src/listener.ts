import { Client, type ClientConfig } from 'pg';

/**
 * LISTEN on one PostgreSQL channel over a dedicated connection, reconnecting after a loss.
 * `onStale` is called on every notification and whenever the connection is lost or (re)made:
 * each time, whatever the caller cached from the database may be out of date. `listening`
 * is true only while notifications can arrive; a cache must not be trusted otherwise.
 * Hand-written: pg-listen and the like add a dependency for these thirty lines.
 */
export class ChannelListener {
  private client?: Client;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private isListening = false;

  constructor(
    private readonly config: ClientConfig,
    private readonly channel: string,
    private readonly onStale: () => void,
    private readonly retryMs = 1000,
  ) {}

  /** True while the channel is listened to. */
  get listening(): boolean {
    return this.isListening;
  }

  /** Connects and listens (in the background; retried every retryMs while PostgreSQL is away). */
  start(): void {
    void this.open();
  }

  /** Stops listening and closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.isListening = false;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ ...this.config, keepAlive: true });
    this.client = client;
    const lost = (): void => {
      if (this.client !== client) return;
      this.client = undefined;
      this.isListening = false;
      this.onStale();
      client.end().catch(() => undefined);
      if (!this.stopped) this.timer = setTimeout(() => void this.open(), this.retryMs);
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (n) => {
      if (n.channel === this.channel) this.onStale();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel.replace(/"/g, '""')}"`);
      if (this.client !== client) return;
      this.isListening = true;
      // Anything cached before this moment was not covered by notifications.
      this.onStale();
    } catch {
      lost();
    }
  }
}
