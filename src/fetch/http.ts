import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import * as http from "node:http";
import * as https from "node:https";
import type { LookupFunction, Socket } from "node:net";
import type { Transform } from "node:stream";
import * as zlib from "node:zlib";
import { errorMessage } from "../model/errors.js";
import { ForbiddenAddressError } from "./lookup.js";
import { fetchMessages as m } from "./messages.js";
import type { FetchErrorKind } from "./types.js";

/** What one HTTP exchange needs: where, how, and the limits that keep a hostile server from holding us. */
export interface AttemptOptions {
  url: URL;
  headers: Record<string, string>;
  agent: http.Agent;
  lookup: LookupFunction;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxBytes: number;
}

/** The outcome of one HTTP exchange, before redirects and retries are decided. */
export type Attempt =
  | { type: "ok"; status: number; headers: IncomingHttpHeaders; body: Buffer }
  | { type: "not-modified" }
  | { type: "redirect"; status: number; location: string | undefined }
  | { type: "http-error"; status: number; retryAfter: string | undefined }
  | { type: "failed"; kind: FetchErrorKind; reason: string; retryable: boolean };

// Failures that a second try may well not meet; DNS "not found" and TLS certificate errors are not among them.
const transientCodes = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
]);

/** Sends one GET and reads the answer within the limits; never throws and never leaves a socket hanging. */
export function requestOnce(options: AttemptOptions): Promise<Attempt> {
  return new Promise((resolve) => {
    const { url, maxBytes } = options;
    const timers: NodeJS.Timeout[] = [];
    let settled = false;
    let req: http.ClientRequest | undefined;
    let res: IncomingMessage | undefined;
    let decoder: Transform | undefined;

    const settle = (attempt: Attempt) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      resolve(attempt);
    };
    const fail = (kind: FetchErrorKind, reason: string, retryable = false) => {
      settle({ type: "failed", kind, reason, retryable });
      // Destroying the socket is what stops a hostile server: no more bytes are read after a failure.
      decoder?.destroy();
      res?.destroy();
      req?.destroy();
    };
    const networkFailure = (err: unknown) => {
      if (err instanceof ForbiddenAddressError)
        return fail("forbidden", m.forbidden(err.address, err.reason));
      const code = (err as NodeJS.ErrnoException | undefined)?.code;
      fail("network", errorMessage(err), code !== undefined && transientCodes.has(code));
    };
    const after = (ms: number, onTimeout: () => void) => {
      const timer = setTimeout(onTimeout, ms);
      timers.push(timer);
      return timer;
    };

    const transport = url.protocol === "https:" ? https : http;
    try {
      req = transport.request(url, {
        method: "GET",
        agent: options.agent,
        lookup: options.lookup,
        headers: options.headers,
      });
    } catch (err) {
      // Invalid header values (e.g. a configured User-Agent with a line break) throw here instead of emitting "error".
      fail("network", errorMessage(err));
      return;
    }
    req.on("error", networkFailure);
    const headersTimer = after(options.headersTimeoutMs, () =>
      fail("timeout", m.headersTimeout(options.headersTimeoutMs)),
    );
    req.on("socket", (socket: Socket) => {
      // A reused keep-alive socket is already connected; a new one counts DNS, TCP and TLS set-up as connecting.
      if (!socket.connecting) return;
      const connectTimer = after(options.connectTimeoutMs, () =>
        fail("timeout", m.connectTimeout(options.connectTimeoutMs)),
      );
      socket.once("connect", () => clearTimeout(connectTimer));
    });
    req.on("response", (response) => {
      res = response;
      clearTimeout(headersTimer);
      response.on("error", networkFailure);
      const status = response.statusCode ?? 0;
      if (status === 304) {
        response.resume();
        return settle({ type: "not-modified" });
      }
      if (status < 200 || status >= 300) {
        // The body of a redirect or an error page is never needed; dropping the socket beats reading unbounded junk.
        response.destroy();
        if (status >= 300 && status < 400)
          return settle({ type: "redirect", status, location: response.headers.location });
        return settle({
          type: "http-error",
          status,
          retryAfter: headerText(response.headers["retry-after"]),
        });
      }
      readBody(response, status);
    });
    req.end();

    function readBody(response: IncomingMessage, status: number) {
      after(options.bodyTimeoutMs, () => fail("timeout", m.bodyTimeout(options.bodyTimeoutMs)));
      const lengthHeader = response.headers["content-length"];
      if (lengthHeader !== undefined && /^\d+$/.test(lengthHeader) && Number(lengthHeader) > maxBytes) {
        return fail("too-large", m.contentLengthTooLarge(Number(lengthHeader), maxBytes));
      }
      const encoding = (response.headers["content-encoding"] ?? "identity").trim().toLowerCase();
      if (!["identity", "", "gzip", "x-gzip", "deflate", "br"].includes(encoding)) {
        return fail("http", m.unsupportedEncoding(encoding));
      }
      const chunks: Buffer[] = [];
      let rawBytes = 0;
      let bodyBytes = 0;
      const done = () =>
        settle({ type: "ok", status, headers: response.headers, body: Buffer.concat(chunks) });
      const take = (chunk: Buffer) => {
        bodyBytes += chunk.length;
        // Checked on decompressed bytes too: a few kilobytes of gzip can expand to gigabytes.
        if (bodyBytes > maxBytes) {
          return fail(
            "too-large",
            decoder ? m.decodedTooLarge(encoding, maxBytes) : m.bodyTooLarge(maxBytes),
          );
        }
        chunks.push(chunk);
      };
      response.on("data", (chunk: Buffer) => {
        rawBytes += chunk.length;
        if (rawBytes > maxBytes) return fail("too-large", m.bodyTooLarge(maxBytes));
        if (settled) return;
        if (decoder) return;
        if (isCompressed(encoding)) {
          decoder = createDecoder(encoding, chunk);
          decoder.on("data", take);
          decoder.on("end", done);
          decoder.on("error", (err) => fail("http", m.badEncoding(encoding, errorMessage(err))));
          decoder.write(chunk);
          response.pipe(decoder);
          return;
        }
        take(chunk);
      });
      response.on("end", () => {
        // Node ends a response whose connection closed early without an error; `complete` tells the two apart.
        if (!response.complete) return fail("network", m.incompleteBody(), true);
        // With a decoder, its own "end" finishes; an empty compressed body never created one.
        if (!decoder) done();
      });
    }
  });
}

function isCompressed(encoding: string): boolean {
  return encoding === "gzip" || encoding === "x-gzip" || encoding === "deflate" || encoding === "br";
}

function createDecoder(encoding: string, firstChunk: Buffer): Transform {
  if (encoding === "br") return zlib.createBrotliDecompress();
  if (encoding === "deflate") {
    // INFO: "deflate" should be zlib-wrapped (RFC 9110), but some servers send raw deflate; the zlib header tells.
    const cmf = firstChunk[0] ?? 0;
    const flg = firstChunk[1];
    const zlibWrapped = (cmf & 0x0f) === 8 && (flg === undefined || ((cmf << 8) | flg) % 31 === 0);
    return zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw();
  }
  return zlib.createGunzip();
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
