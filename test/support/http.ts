/**
 * The one HTTP server the tests use: real servers on loopback with an ephemeral port, counting what
 * reached them, and closed with every connection they hold so no test hangs on a keep-alive socket.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from "node:net";

/** Answers one request. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A running test server. */
export interface TestServer {
  /** "http://<host>:<port>", no trailing slash. */
  url: string;
  port: number;
  /** The path (with query) of every request received so far, in order. */
  hits: string[];
  /** TCP connections accepted so far. */
  connections: number;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

/**
 * Serves `handler` on `host` (127.0.0.1 by default; 127.0.0.2 and the rest of 127.0.0.0/8 reach lo too,
 * which tests use as a "private" address) on an ephemeral port.
 *
 * @example
 * const server = await serveHttp((req, res) => res.end("ok"));
 * try { await fetch(`${server.url}/x`); } finally { await server.close(); }
 */
export async function serveHttp(handler: Handler, host = "127.0.0.1"): Promise<TestServer> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    handler(req, res);
  });
  return listen(server, host, hits);
}

/** A TCP server that accepts connections and never writes a byte (for timeout tests). */
export async function serveSilence(host = "127.0.0.1"): Promise<TestServer> {
  return listen(
    createNetServer(() => {}),
    host,
    [],
  );
}

async function listen(server: Server, host: string, hits: string[]): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const state: TestServer = {
    url: "",
    port: 0,
    hits,
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  server.on("connection", (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://${host}:${state.port}`;
  return state;
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Routes of a test site: path (with or without its query) → status, headers and body; changeable between requests. */
export type Routes = Map<
  string,
  { status?: number; type?: string; body?: string | Buffer; location?: string; delayMs?: number }
>;

/** A handler serving a mutable route table; unknown paths are 404. */
export function routeHandler(routes: Routes): Handler {
  return (req, res) => {
    const url = req.url ?? "/";
    const route = routes.get(url) ?? routes.get(url.split("?")[0] as string);
    if (!route) {
      res.writeHead(404, { "content-type": "text/html" }).end("<html><body>not found</body></html>");
      return;
    }
    const send = () => {
      const headers: Record<string, string> = { "content-type": route.type ?? "text/html; charset=utf-8" };
      if (route.location) headers.location = route.location;
      res.writeHead(route.status ?? 200, headers).end(route.body ?? "");
    };
    if (route.delayMs) setTimeout(send, route.delayMs);
    else send();
  };
}

/** Serves a mutable map of path → body with an ETag (answering 304 to a matching If-None-Match), as feeds do. */
export async function serveFiles(
  files: Map<string, string | Buffer>,
  contentType = "application/rss+xml",
): Promise<TestServer> {
  return serveHttp((req, res) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    const body = files.get(path);
    if (body === undefined) {
      res.writeHead(404).end("not found");
      return;
    }
    const etag = `"${Buffer.from(body).length}-${hash(body)}"`;
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { "content-type": contentType, etag }).end(body);
  });
}

function hash(body: string | Buffer): string {
  let h = 0;
  for (const b of Buffer.from(body)) h = (h * 31 + b) | 0;
  return (h >>> 0).toString(16);
}
