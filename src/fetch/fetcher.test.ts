import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { expectOk, testSettings } from "../../test/support/fetch.js";
import { closedPort, serveHttp, serveSilence, type TestServer } from "../../test/support/http.js";
import { createFetcher } from "./fetcher.js";
import type { FetchResult } from "./types.js";

const feed = Buffer.from('<?xml version="1.0"?><rss><channel><title>美国之音</title></channel></rss>');

function expectError(result: FetchResult, kind: string) {
  assert.equal(result.status, "error", JSON.stringify(result));
  if (result.status !== "error") return result as never;
  assert.equal(result.kind, kind, result.error);
  assert.ok(!result.error.includes("\n"));
  return result;
}

describe("conditional GET", () => {
  let server: TestServer;
  const seen: Array<{ ua?: string; inm?: string; ims?: string; ae?: string }> = [];
  before(async () => {
    server = await serveHttp((req, res) => {
      seen.push({
        ua: req.headers["user-agent"],
        inm: req.headers["if-none-match"],
        ims: req.headers["if-modified-since"],
        ae: req.headers["accept-encoding"],
      });
      if (req.url === "/etag") {
        if (req.headers["if-none-match"] === '"v1"') return res.writeHead(304).end();
        return res
          .writeHead(200, { etag: '"v1"', "content-type": "application/rss+xml; charset=utf-8" })
          .end(feed);
      }
      const stamp = "Wed, 01 May 2024 12:00:00 GMT";
      if (req.headers["if-modified-since"] === stamp) return res.writeHead(304).end();
      res.writeHead(200, { "last-modified": stamp }).end(feed);
    });
  });
  after(() => server.close());

  it("returns the ETag of a 200 and turns the 304 of the next request into not-modified", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const first = expectOk(await fetcher.fetch({ url: `${server.url}/etag`, trusted: true }));
    assert.deepEqual(first.body, feed);
    assert.equal(first.etag, '"v1"');
    assert.equal(first.contentType, "application/rss+xml; charset=utf-8");
    assert.equal(first.httpStatus, 200);
    assert.equal(first.redirects, 0);
    const second = await fetcher.fetch({ url: `${server.url}/etag`, trusted: true, etag: first.etag });
    assert.deepEqual(second, {
      status: "not-modified",
      url: `${server.url}/etag`,
      finalUrl: `${server.url}/etag`,
      httpStatus: 304,
    });
    const sent = seen.at(-1);
    assert.equal(sent?.ua, testSettings.userAgent);
    assert.equal(sent?.ae, "gzip, deflate, br");
    fetcher.close();
  });

  it("returns Last-Modified and sends it back as If-Modified-Since", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const first = expectOk(await fetcher.fetch({ url: `${server.url}/lm`, trusted: true }));
    assert.equal(first.lastModified, "Wed, 01 May 2024 12:00:00 GMT");
    const second = await fetcher.fetch({
      url: `${server.url}/lm`,
      trusted: true,
      lastModified: first.lastModified,
    });
    assert.equal(second.status, "not-modified");
    assert.equal(seen.at(-1)?.ims, first.lastModified);
    fetcher.close();
  });

  it("drops a stored validator with control characters instead of failing the request", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const result = expectOk(
      await fetcher.fetch({ url: `${server.url}/etag`, trusted: true, etag: '"v1"\r\nX-Evil: 1' }),
    );
    assert.equal(result.httpStatus, 200);
    assert.equal(seen.at(-1)?.inm, undefined);
    fetcher.close();
  });
});

describe("compressed bodies and the size cap", () => {
  let server: TestServer;
  // 8 MB of zeros gzips to about 8 kB: a small bomb against a 1 MB cap.
  const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
  // Over 1 MB of empty gzip members decodes to nothing: only counting the raw bytes stops an endless stream of them.
  const emptyMember = gzipSync(Buffer.alloc(0));
  const emptyMembers = Buffer.concat(
    Array.from({ length: Math.ceil((1.2 * 1024 * 1024) / emptyMember.length) }, () => emptyMember),
  );
  before(async () => {
    server = await serveHttp((req, res) => {
      switch (req.url) {
        case "/gzip":
          return res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(feed));
        case "/deflate":
          return res.writeHead(200, { "content-encoding": "deflate" }).end(deflateSync(feed));
        case "/deflate-raw":
          return res.writeHead(200, { "content-encoding": "deflate" }).end(deflateRawSync(feed));
        case "/br":
          return res.writeHead(200, { "content-encoding": "br" }).end(brotliCompressSync(feed));
        case "/corrupt":
          return res.writeHead(200, { "content-encoding": "gzip" }).end(Buffer.from("not gzip at all"));
        case "/bomb":
          return res.writeHead(200, { "content-encoding": "gzip" }).end(bomb);
        case "/empty-members":
          return res.writeHead(200, { "content-encoding": "gzip" }).end(emptyMembers);
        case "/declared-huge":
          // Claims 2 MB and sends a little, then stalls: only the header can have failed it quickly.
          res.writeHead(200, { "content-length": String(2 * 1024 * 1024) });
          res.write("x");
          return;
        case "/exactly-cap":
          return res.writeHead(200).end(Buffer.alloc(1024 * 1024, 0x61));
        case "/streamed-huge": {
          // No Content-Length: chunked, and more than the cap.
          res.writeHead(200);
          const chunk = Buffer.alloc(64 * 1024, 0x61);
          let sent = 0;
          const pump = () => {
            while (sent < 4 * 1024 * 1024) {
              sent += chunk.length;
              if (!res.write(chunk)) return res.once("drain", pump);
            }
            res.end();
          };
          res.on("error", () => {});
          return pump();
        }
        default:
          res.writeHead(404).end();
      }
    });
  });
  after(() => server.close());

  for (const path of ["/gzip", "/deflate", "/deflate-raw", "/br"]) {
    it(`decompresses a ${path.slice(1)} body`, async () => {
      const fetcher = createFetcher(testSettings, { allowNetworks: [] });
      const result = expectOk(await fetcher.fetch({ url: server.url + path, trusted: true }));
      assert.deepEqual(result.body, feed);
      fetcher.close();
    });
  }

  it("fails a body that does not decompress as http", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const result = expectError(await fetcher.fetch({ url: `${server.url}/corrupt`, trusted: true }), "http");
    assert.match(result.error, /gzip body could not be decompressed/);
    fetcher.close();
  });

  it("stops a gzip bomb once the decompressed bytes pass the cap", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    assert.ok(bomb.length < testSettings.maxBytes);
    const result = expectError(
      await fetcher.fetch({ url: `${server.url}/bomb`, trusted: true }),
      "too-large",
    );
    assert.match(result.error, /after gzip decompression/);
    fetcher.close();
  });

  it("stops a compressed body whose raw bytes pass the cap even when it decodes to nothing", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const result = expectError(
      await fetcher.fetch({ url: `${server.url}/empty-members`, trusted: true }),
      "too-large",
    );
    assert.match(result.error, /body is over the limit of 1048576 bytes$/);
    fetcher.close();
  });

  it("fails at once when Content-Length is over the cap", async () => {
    // The body never comes and no timer could end the wait: only the header can have failed it.
    const fetcher = createFetcher({ ...testSettings, bodyTimeoutMs: 600_000 }, { allowNetworks: [] });
    const result = expectError(
      await fetcher.fetch({ url: `${server.url}/declared-huge`, trusted: true }),
      "too-large",
    );
    assert.match(result.error, /Content-Length 2097152 is over the limit of 1048576 bytes/);
    fetcher.close();
  });

  it("fails a streamed body without Content-Length once it passes the cap", async () => {
    const fetcher = createFetcher({ ...testSettings, bodyTimeoutMs: 5000 }, { allowNetworks: [] });
    const result = expectError(
      await fetcher.fetch({ url: `${server.url}/streamed-huge`, trusted: true }),
      "too-large",
    );
    assert.match(result.error, /body is over the limit of 1048576 bytes/);
    fetcher.close();
  });

  it("accepts a body of exactly the cap, and request.maxBytes overrides the setting", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const exact = expectOk(await fetcher.fetch({ url: `${server.url}/exactly-cap`, trusted: true }));
    assert.equal(exact.body.length, testSettings.maxBytes);
    const smaller = await fetcher.fetch({
      url: `${server.url}/exactly-cap`,
      trusted: true,
      maxBytes: 1000,
    });
    expectError(smaller, "too-large");
    const larger = await fetcher.fetch({
      url: `${server.url}/streamed-huge`,
      trusted: true,
      maxBytes: 8 * 1024 * 1024,
    });
    assert.equal(expectOk(larger).body.length, 4 * 1024 * 1024);
    fetcher.close();
  });
});

// A missing timer would hang these tests forever; the per-test timeout turns that into a failure.
describe("timeouts", () => {
  let server: TestServer;
  let silent: TestServer;
  before(async () => {
    server = await serveHttp((req, res) => {
      if (req.url === "/slow-headers") {
        // Never answers: only the fetcher's own header timeout can end the request.
        return;
      }
      if (req.url === "/slow-body") {
        res.writeHead(200, { "content-length": "100" });
        res.write("only the start");
        return;
      }
      res.writeHead(404).end();
    });
    silent = await serveSilence();
  });
  after(async () => {
    await server.close();
    await silent.close();
  });

  it("times out when response headers are slow", { timeout: 5000 }, async () => {
    const fetcher = createFetcher({ ...testSettings, headersTimeoutMs: 200 }, { allowNetworks: [] });
    const result = expectError(
      await fetcher.fetch({ url: `${server.url}/slow-headers`, trusted: true }),
      "timeout",
    );
    assert.match(result.error, /no response headers within 200 ms/);
    fetcher.close();
  });

  it("times out when the body is slow", { timeout: 5000 }, async () => {
    const fetcher = createFetcher({ ...testSettings, bodyTimeoutMs: 200 }, { allowNetworks: [] });
    const result = expectError(
      await fetcher.fetch({ url: `${server.url}/slow-body`, trusted: true }),
      "timeout",
    );
    assert.match(result.error, /body not received within 200 ms/);
    fetcher.close();
  });

  it("times out on a server that accepts the connection and never answers", { timeout: 5000 }, async () => {
    const fetcher = createFetcher({ ...testSettings, headersTimeoutMs: 200 }, { allowNetworks: [] });
    const result = expectError(await fetcher.fetch({ url: `${silent.url}/`, trusted: true }), "timeout");
    assert.match(result.error, /no response headers/);
    assert.ok(silent.connections >= 1);
    fetcher.close();
  });

  it("times out connecting when the name never resolves", { timeout: 5000 }, async () => {
    const fetcher = createFetcher(
      { ...testSettings, connectTimeoutMs: 150, headersTimeoutMs: 2000 },
      { allowNetworks: [] },
      { resolver: () => new Promise(() => {}) },
    );
    const result = expectError(
      await fetcher.fetch({ url: "http://feeds.invalid/rss", trusted: true }),
      "timeout",
    );
    assert.match(result.error, /^fetch: http:\/\/feeds\.invalid\/rss: no connection within 150 ms$/);
    fetcher.close();
  });

  it("reports a refused connection as a network error, not a timeout", { timeout: 5000 }, async () => {
    const port = await closedPort();
    // Timeouts far beyond the test's own: a refusal that were waited out could not pass.
    const fetcher = createFetcher(
      { ...testSettings, connectTimeoutMs: 600_000, headersTimeoutMs: 600_000 },
      { allowNetworks: [] },
    );
    const result = expectError(
      await fetcher.fetch({ url: `http://127.0.0.1:${port}/`, trusted: true }),
      "network",
    );
    assert.match(result.error, /ECONNREFUSED/);
    fetcher.close();
  });
});
