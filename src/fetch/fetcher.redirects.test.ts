import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { expectError, expectOk, testSettings } from "../../test/support/fetch.js";
import { serveHttp, type TestServer } from "../../test/support/http.js";
import { createFetcher } from "./fetcher.js";

describe("redirects", () => {
  let server: TestServer;
  before(async () => {
    server = await serveHttp((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      // /chain/N redirects N more times, alternating absolute and relative Locations.
      const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
      if (chain) {
        const left = Number(chain[1]);
        if (left === 0) return res.writeHead(200, { "content-type": "text/plain" }).end("arrived");
        const next = left % 2 ? `${server.url}/chain/${left - 1}` : `${left - 1}`;
        return res.writeHead(left % 3 ? 302 : 301, { location: next }).end("moved");
      }
      if (url.pathname === "/feeds/old/rss.xml")
        return res.writeHead(301, { location: "../new/rss.xml?x=1" }).end();
      if (url.pathname === "/feeds/new/rss.xml") return res.writeHead(200).end(`new${url.search}`);
      if (url.pathname === "/no-location") return res.writeHead(302).end();
      if (url.pathname === "/to-file") return res.writeHead(302, { location: "file:///etc/passwd" }).end();
      res.writeHead(404).end();
    });
  });
  after(() => server.close());

  it("follows 5 redirects, absolute and relative, and counts them", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const result = expectOk(await fetcher.fetch({ url: `${server.url}/chain/5`, trusted: true }));
    assert.equal(result.redirects, 5);
    assert.equal(result.finalUrl, `${server.url}/chain/0`);
    assert.equal(result.url, `${server.url}/chain/5`);
    assert.equal(result.body.toString(), "arrived");
    fetcher.close();
  });

  it("fails the 6th redirect as redirects", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const before = server.hits.length;
    const result = expectError(
      await fetcher.fetch({ url: `${server.url}/chain/6`, trusted: true }),
      "redirects",
    );
    assert.equal(result.error, `fetch: ${server.url}/chain/6: more than 5 redirects`);
    assert.equal(server.hits.length - before, 6);
    fetcher.close();
  });

  it("resolves a dot-dot relative Location against the current URL", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const result = expectOk(await fetcher.fetch({ url: `${server.url}/feeds/old/rss.xml`, trusted: true }));
    assert.equal(result.finalUrl, `${server.url}/feeds/new/rss.xml?x=1`);
    assert.equal(result.body.toString(), "new?x=1");
    fetcher.close();
  });

  it("reports the redirect instead of following it when followRedirects is false", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const result = expectOk(
      await fetcher.fetch({
        url: `${server.url}/feeds/old/rss.xml`,
        trusted: true,
        followRedirects: false,
      }),
    );
    assert.equal(result.httpStatus, 301);
    assert.equal(result.location, `${server.url}/feeds/new/rss.xml?x=1`);
    assert.equal(result.body.length, 0);
    assert.equal(result.redirects, 0);
    fetcher.close();
  });

  it("fails a redirect without Location as http and one to file: as scheme, even for a trusted feed", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const none = expectError(
      await fetcher.fetch({ url: `${server.url}/no-location`, trusted: true }),
      "http",
    );
    assert.equal(none.httpStatus, 302);
    const file = expectError(await fetcher.fetch({ url: `${server.url}/to-file`, trusted: true }), "scheme");
    assert.match(
      file.error,
      /redirect to file:\/\/\/etc\/passwd: only http and https redirects are followed/,
    );
    fetcher.close();
  });
});

/** A retry scheduler that records each wait and wakes at once, so retries need no clock. */
function recordAndWake(waits: number[]): (wake: () => void, ms: number) => () => void {
  return (wake, ms) => {
    waits.push(ms);
    queueMicrotask(wake);
    return () => {};
  };
}

describe("retries", () => {
  let server: TestServer;
  const hits = new Map<string, number>();
  before(async () => {
    server = await serveHttp((req, res) => {
      const path = req.url ?? "/";
      const hit = (hits.get(path) ?? 0) + 1;
      hits.set(path, hit);
      if (path.startsWith("/flaky"))
        return hit <= 2 ? res.writeHead(503).end() : res.writeHead(200).end("fine");
      if (path === "/busy")
        return hit === 1 ? res.writeHead(429, { "retry-after": "1" }).end() : res.writeHead(200).end();
      if (path === "/down") return res.writeHead(500).end();
      if (path === "/later") return res.writeHead(503, { "retry-after": "20" }).end();
      if (path === "/reset") return req.socket.destroy();
      res.writeHead(404).end();
    });
  });
  after(() => server.close());

  it("retries a 503 and succeeds on the third try", async () => {
    const fetcher = createFetcher({ ...testSettings, retries: 2 }, { allowNetworks: [] }, { retryBaseMs: 5 });
    const result = expectOk(await fetcher.fetch({ url: `${server.url}/flaky-a`, trusted: true }));
    assert.equal(result.body.toString(), "fine");
    assert.equal(hits.get("/flaky-a"), 3);
    fetcher.close();
  });

  it("gives up after retries extra tries and says how many", async () => {
    const fetcher = createFetcher({ ...testSettings, retries: 1 }, { allowNetworks: [] }, { retryBaseMs: 5 });
    const result = expectError(await fetcher.fetch({ url: `${server.url}/flaky-b`, trusted: true }), "http");
    assert.equal(result.error, `fetch: ${server.url}/flaky-b: HTTP 503 after 2 tries`);
    assert.equal(result.httpStatus, 503);
    assert.equal(hits.get("/flaky-b"), 2);
    const down = expectError(await fetcher.fetch({ url: `${server.url}/down`, trusted: true }), "http");
    assert.equal(down.httpStatus, 500);
    assert.equal(hits.get("/down"), 2);
    fetcher.close();
  });

  it("waits as long as Retry-After asks on a 429", async () => {
    const waits: number[] = [];
    const fetcher = createFetcher(
      { ...testSettings, retries: 2 },
      { allowNetworks: [] },
      { retryBaseMs: 5, scheduleWait: recordAndWake(waits) },
    );
    expectOk(await fetcher.fetch({ url: `${server.url}/busy`, trusted: true }));
    assert.deepEqual(waits, [1000]);
    assert.equal(hits.get("/busy"), 2);
    fetcher.close();
  });

  it("does not retry a 404", async () => {
    const fetcher = createFetcher({ ...testSettings, retries: 3 }, { allowNetworks: [] }, { retryBaseMs: 5 });
    const result = expectError(await fetcher.fetch({ url: `${server.url}/missing`, trusted: true }), "http");
    assert.equal(result.error, `fetch: ${server.url}/missing: HTTP 404`);
    assert.equal(hits.get("/missing"), 1);
    fetcher.close();
  });

  it("close() cuts a Retry-After wait short, and fetches after it fail as values", {
    timeout: 5000,
  }, async () => {
    // The wait never ends by itself: only close() can end it, and it must cancel the wait.
    const waits: number[] = [];
    let cancelled = 0;
    const fetcher = createFetcher(
      { ...testSettings, retries: 1 },
      { allowNetworks: [] },
      {
        retryBaseMs: 5,
        scheduleWait: (_wake, ms) => {
          waits.push(ms);
          queueMicrotask(() => fetcher.close());
          return () => cancelled++;
        },
      },
    );
    const result = expectError(await fetcher.fetch({ url: `${server.url}/later`, trusted: true }), "network");
    assert.match(result.error, /fetcher was closed/);
    assert.deepEqual(waits, [20_000]);
    assert.equal(cancelled, 1);
    assert.equal(hits.get("/later"), 1);
    const late = expectError(await fetcher.fetch({ url: `${server.url}/flaky-c`, trusted: true }), "network");
    assert.match(late.error, /fetcher was closed/);
  });

  it("retries a connection the server drops", async () => {
    const fetcher = createFetcher({ ...testSettings, retries: 2 }, { allowNetworks: [] }, { retryBaseMs: 5 });
    const result = expectError(await fetcher.fetch({ url: `${server.url}/reset`, trusted: true }), "network");
    assert.match(result.error, /after 3 tries$/);
    assert.equal(hits.get("/reset"), 3);
    fetcher.close();
  });
});

describe("concurrency", () => {
  let server: TestServer;
  let inFlight = 0;
  let peak = 0;
  let received = 0;
  // The server holds requests until `limit` are in flight at once (or every request has arrived), then
  // answers them all: a fetcher that keeps to its limit reaches it exactly, whatever the timing.
  let limit = 0;
  let total = 0;
  let held: (() => void)[] = [];
  before(async () => {
    server = await serveHttp((_req, res) => {
      inFlight++;
      received++;
      peak = Math.max(peak, inFlight);
      held.push(() => {
        inFlight--;
        res.writeHead(200).end("ok");
      });
      if (inFlight >= limit || received === total) {
        const answers = held;
        held = [];
        for (const answer of answers) answer();
      }
    });
  });
  const expectRequests = (atOnce: number, count: number) => {
    peak = 0;
    received = 0;
    limit = atOnce;
    total = count;
  };
  after(() => server.close());

  it("never has more than perHostConcurrency requests at one host", async () => {
    expectRequests(2, 7);
    const fetcher = createFetcher(
      // Answers come only when the limit is reached, so no timer may cut a held request short.
      { ...testSettings, concurrency: 8, perHostConcurrency: 2, headersTimeoutMs: 60_000 },
      { allowNetworks: [] },
    );
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) => fetcher.fetch({ url: `${server.url}/item/${i}`, trusted: true })),
    );
    assert.ok(results.every((r) => r.status === "ok"));
    assert.equal(peak, 2);
    fetcher.close();
  });

  it("never has more than concurrency requests overall", async () => {
    expectRequests(3, 7);
    const fetcher = createFetcher(
      { ...testSettings, concurrency: 3, perHostConcurrency: 8, headersTimeoutMs: 60_000 },
      { allowNetworks: [] },
    );
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) => fetcher.fetch({ url: `${server.url}/item/${i}`, trusted: true })),
    );
    assert.ok(results.every((r) => r.status === "ok"));
    assert.equal(peak, 3);
    fetcher.close();
  });
});
