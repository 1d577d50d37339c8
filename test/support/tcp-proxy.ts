// A TCP proxy between a client (helm, kubectl) and a server (the API server) that a test can take away and
// bring back: stop() closes the listener and resets every open connection, so the client meets the real
// errors of an outage (connection refused for new connections, connection reset / EOF / http2 connection
// lost for open ones); start() listens again on the same port. holdRequests() darkens only the client → server
// direction first (the server's answers and watch events still arrive; the client's next requests go nowhere),
// the way a partition can begin, so that stop() then fails requests a client sent just after an event.
import * as fs from 'node:fs';
import * as net from 'node:net';

export interface ProxyTarget {
  host: string;
  port: number;
}

export class TcpProxy {
  readonly target: ProxyTarget;
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly requestPaths = new Map<net.Socket, net.Socket>();
  private holding = false;
  private boundPort = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;
  /** When each outage began and ended (epoch ms), for the test's report. */
  readonly outages: { from: number; to?: number }[] = [];

  constructor(target: ProxyTarget) {
    this.target = target;
  }

  get port(): number {
    return this.boundPort;
  }

  get up(): boolean {
    return this.server !== undefined;
  }

  /** Listens on 127.0.0.1 (the first time on a free port, afterwards on the same one). */
  async start(): Promise<number> {
    if (this.server || this.closed) return this.boundPort;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      this.sockets.add(client);
      this.sockets.add(upstream);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
        this.requestPaths.delete(client);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      this.requestPaths.set(client, upstream);
      if (this.holding) client.pause();
      else client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.holding = false;
    this.boundPort = (server.address() as net.AddressInfo).port;
    const open = this.outages[this.outages.length - 1];
    if (open && open.to === undefined) open.to = Date.now();
    return this.boundPort;
  }

  /**
   * The request path goes dark: what clients send is no longer passed on (on open and new connections) while the
   * server's answers, and its watch events, still reach them. Lasts until stop() (then start()).
   */
  holdRequests(): void {
    this.holding = true;
    for (const [client, upstream] of this.requestPaths) {
      client.unpipe(upstream);
      client.pause();
    }
  }

  /** The outage: no new connection is accepted and every open one is reset. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.outages.push({ from: Date.now() });
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    this.requestPaths.clear();
    await closed;
  }

  /** Schedules an outage of `durationMs` starting `afterMs` from now. */
  outage(afterMs: number, durationMs: number): void {
    this.timers.push(
      setTimeout(() => {
        void this.stop().then(() => this.timers.push(setTimeout(() => void this.start(), durationMs)));
      }, afterMs),
    );
  }

  /** Cancels scheduled outages and stops listening for good. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    await this.stop();
  }
}

/** The kubeconfig at `from` with its server(s) pointed at the proxy, written to `to`. */
export function kubeconfigThroughProxy(from: string, to: string, proxy: TcpProxy): void {
  const text = fs.readFileSync(from, 'utf8').replace(/(server:\s*https:\/\/)[^\s/]+/g, `$1127.0.0.1:${proxy.port}`);
  fs.writeFileSync(to, text, { mode: 0o600 });
}
