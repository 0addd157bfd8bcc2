/** Raw TCP clients for connection tests: silent sockets, hand-written requests, and what came back. */
import { connect, type Socket } from 'node:net';

/** A connected socket, everything it received, and when the server closed it. */
export interface RawConnection {
  socket: Socket;
  received(): string;
  /** Resolves when the connection is closed (by either side), with whether it ended in an error. */
  closed: Promise<{ error?: string }>;
  isClosed(): boolean;
}

/** Connects to 127.0.0.1:port and reads everything the server sends. */
export function openConnection(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    let error: string | undefined;
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
      reject(e);
    });
    const closed = new Promise<{ error?: string }>((resolveClosed) =>
      socket.on('close', () => {
        done = true;
        resolveClosed(error ? { error } : {});
      }),
    );
    socket.on('connect', () => resolve({ socket, received: () => text, closed, isClosed: () => done }));
  });
}

/** Opens `count` connections, a few at a time so the listen backlog is never the limit being tested. */
export async function openConnections(port: number, count: number, batch = 100): Promise<RawConnection[]> {
  const all: RawConnection[] = [];
  for (let i = 0; i < count; i += batch) {
    all.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, () => openConnection(port)))));
  }
  return all;
}

/** An HTTP/1.1 answer as read off the wire. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses one HTTP/1.1 answer (Content-Length framed). */
export function parseResponse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no complete answer in ${JSON.stringify(text)}`);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4) };
}

/** Resolves with the first whole answer (Content-Length framed) the connection receives. */
export function nextAnswer(connection: RawConnection): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const text = connection.received();
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const answer = parseResponse(text);
      if (Buffer.byteLength(answer.body, 'latin1') < Number(answer.headers['content-length'] ?? 0)) return;
      connection.socket.off('data', check);
      resolve(answer);
    };
    connection.socket.on('data', check);
    void connection.closed.then(() => reject(new Error(`closed before a whole answer: ${JSON.stringify(connection.received())}`)));
    check();
  });
}

/** The promise's value, or a rejection naming `what` if it takes longer than `ms` (a liveness bound). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms for: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
