import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback HTTP server on a chosen address, recording every request path that reached it. */
export interface Listener {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

/** Serves `handler` on `host` (e.g. 127.0.0.2, which Linux routes to lo like 127.0.0.1) on an ephemeral port. */
export async function listen(
  host: string,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Listener> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    handler(req, res);
  });
  await new Promise<void>((ok) => server.listen(0, host, ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    hits,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Routes of a test site: path (without query) → status, headers and body; changeable between runs. */
export type Routes = Map<
  string,
  { status?: number; type?: string; body?: string | Buffer; location?: string; delayMs?: number }
>;

/** Serves a mutable route table; unknown paths are 404. */
export function routeHandler(routes: Routes) {
  return (req: IncomingMessage, res: ServerResponse) => {
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

/** Bytes that sniff as a PNG: the signature, then `seed` so different seeds are different images. */
export function png(seed: string, size = 64): Buffer {
  const head = Buffer.from("\x89PNG\r\n\x1a\n", "latin1");
  const rest = Buffer.alloc(Math.max(0, size - head.length), seed);
  return Buffer.concat([head, rest]);
}

/** Bytes that sniff as a JPEG. */
export function jpeg(seed: string, size = 64): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 4, seed)]);
}

/** A fetch section that keeps failure paths fast in tests. */
export const FAST_FETCH = "fetch:\n  retries: 0\n  timeout: { connect: 2s, headers: 2s, body: 2s }\n";
