import { createServer, connect, type Server, type Socket } from 'node:net';

/** A loopback TCP proxy that keeps every byte the client sends: the wire as the network sees it. */
export class RecordingProxy {
  private readonly sent: Buffer[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;

  async start(target: string): Promise<string> {
    const [host, port] = target.split(':') as [string, string];
    this.server = createServer((client) => {
      const upstream = connect(Number(port), host);
      this.sockets.add(client).add(upstream);
      client.on('data', (chunk: Buffer) => {
        this.sent.push(Buffer.from(chunk));
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => client.write(chunk));
      const close = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy did not bind');
    return `127.0.0.1:${address.port}`;
  }

  /** Every byte the client sent, in order. */
  clientBytes(): Buffer {
    return Buffer.concat(this.sent);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
