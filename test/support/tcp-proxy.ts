/**
 * A TCP proxy in front of a server (PostgreSQL), for tests of a database that goes away while the service
 * runs: `cut()` drops every connection through it and stops listening, so the next connection is refused.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** A running proxy. */
export interface TcpProxy {
  /** The local port it listens on. */
  port: number;
  /** Drops every open connection and closes the port, at once (synchronously). */
  cut(): void;
  /** Listens on the same port again after a cut (the database is back). */
  reopen(): Promise<void>;
  /** Stops it (after or without a cut). */
  close(): Promise<void>;
}

/** Listens on a free local port and forwards each connection to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  let closed: Promise<void> | undefined;
  const cut = () => {
    closed ??= new Promise((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
  };
  return {
    port,
    cut,
    reopen: async () => {
      await closed;
      closed = undefined;
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    close: async () => {
      cut();
      await closed;
    },
  };
}
