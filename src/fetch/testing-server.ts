import * as assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from "node:net";
import type { FetchResult, FetchSettings } from "./types.js";

/** A test server on 127.0.0.1 with an ephemeral port, counting what reached it. */
export interface TestServer {
  /** "http://127.0.0.1:<port>" */
  origin: string;
  port: number;
  /** TCP connections accepted so far. */
  connections: number;
  /** HTTP requests received so far. */
  requests: number;
  close(): Promise<void>;
}

/** Starts an HTTP server for fetch tests; the handler gets every request. */
export async function serveHttp(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const server = createServer((req, res) => {
    state.requests++;
    handler(req, res);
  });
  const state = await listen(server);
  return state;
}

/** Starts a TCP server that accepts connections and never writes a byte. */
export async function serveSilence(): Promise<TestServer> {
  return listen(createNetServer(() => {}));
}

async function listen(server: Server): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const state: TestServer = {
    origin: "",
    port: 0,
    connections: 0,
    requests: 0,
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
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.address() as AddressInfo).port;
  state.origin = `http://127.0.0.1:${state.port}`;
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

/** Fetch settings with short limits so failure paths finish quickly; timeout tests shorten them further. */
export const testSettings: FetchSettings = {
  connectTimeoutMs: 2000,
  headersTimeoutMs: 2000,
  bodyTimeoutMs: 2000,
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
  retries: 0,
  concurrency: 8,
  perHostConcurrency: 8,
  userAgent: "newsark-test/1.0",
};

/** Narrows a result to ok, failing the test with the whole result otherwise. */
export function expectOk(result: FetchResult) {
  assert.equal(result.status, "ok", JSON.stringify(result));
  if (result.status !== "ok") throw new Error("unreachable");
  return result;
}

/** Narrows a result to an error of `kind`, failing the test otherwise. */
export function expectError(result: FetchResult, kind: string) {
  assert.equal(result.status, "error", JSON.stringify(result));
  if (result.status !== "error") throw new Error("unreachable");
  assert.equal(result.kind, kind, result.error);
  return result;
}
