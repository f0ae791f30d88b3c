import * as assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { expectError, expectOk, testSettings } from "../../test/support/fetch.js";
import { serveHttp, type TestServer } from "../../test/support/http.js";
import { createFetcher } from "./fetcher.js";

describe("untrusted URLs and private addresses", () => {
  // `target` stands for an internal service; `hop` is a public-looking page that redirects into the LAN.
  let target: TestServer;
  let hop: TestServer;
  before(async () => {
    target = await serveHttp((_req, res) => res.writeHead(200).end("internal secret"));
    hop = await serveHttp((req, res) => {
      if (req.url === "/to-other-loopback")
        return res.writeHead(302, { location: "http://127.0.0.2:9/x" }).end();
      if (req.url === "/to-localhost")
        return res.writeHead(302, { location: `http://localhost:${target.port}/` }).end();
      if (req.url === "/same-host") return res.writeHead(302, { location: "/page" }).end();
      res.writeHead(200).end("page");
    });
  });
  after(async () => {
    await target.close();
    await hop.close();
  });

  it("refuses an untrusted URL to 127.0.0.1 without connecting when allowNetworks is empty", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const url = `http://127.0.0.1:${target.port}/admin`;
    const result = expectError(await fetcher.fetch({ url, trusted: false }), "forbidden");
    assert.equal(
      result.error,
      `fetch: ${url}: address 127.0.0.1 is not allowed (loopback; allow it with allowNetworks)`,
    );
    assert.equal(target.connections, 0);
    fetcher.close();
  });

  it("refuses the IPv6 loopback literal and an IPv4-mapped one", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    expectError(await fetcher.fetch({ url: `http://[::1]:${target.port}/`, trusted: false }), "forbidden");
    const mapped = await fetcher.fetch({ url: `http://[::ffff:127.0.0.1]:${target.port}/`, trusted: false });
    assert.match(expectError(mapped, "forbidden").error, /loopback, IPv4-mapped/);
    assert.equal(target.connections, 0);
    fetcher.close();
  });

  it("refuses a name that resolves to loopback (localhost), checked at connect time", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const result = expectError(
      await fetcher.fetch({ url: `http://localhost:${target.port}/`, trusted: false }),
      "forbidden",
    );
    assert.match(
      result.error,
      /address (127\.0\.0\.1|::1) is not allowed \(loopback; allow it with allowNetworks\)$/,
    );
    assert.equal(target.connections, 0);
    fetcher.close();
  });

  it("refuses a name that a resolver points at a private address (DNS rebinding)", async () => {
    const fetcher = createFetcher(
      testSettings,
      { allowNetworks: [] },
      { resolver: async () => [{ address: "127.0.0.1", family: 4 }] },
    );
    const result = await fetcher.fetch({ url: `http://news.example:${target.port}/`, trusted: false });
    assert.match(expectError(result, "forbidden").error, /address 127\.0\.0\.1 is not allowed/);
    assert.equal(target.connections, 0);
    fetcher.close();
  });

  it("allows loopback when allowNetworks has 127.0.0.0/8, by literal and by name", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: ["127.0.0.0/8"] });
    const literal = expectOk(
      await fetcher.fetch({ url: `http://127.0.0.1:${target.port}/`, trusted: false }),
    );
    assert.equal(literal.body.toString(), "internal secret");
    // localhost may also resolve to ::1, which is not allowed; the IPv4 address must still be used.
    expectOk(await fetcher.fetch({ url: `http://localhost:${target.port}/`, trusted: false }));
    fetcher.close();
  });

  it("refuses a redirect from an allowed host to a forbidden one", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: ["127.0.0.1/32"] });
    const url = `${hop.url}/to-other-loopback`;
    const result = expectError(await fetcher.fetch({ url, trusted: false }), "forbidden");
    assert.equal(
      result.error,
      `fetch: ${url}: redirected to http://127.0.0.2:9/x: address 127.0.0.2 is not allowed (loopback; allow it with allowNetworks)`,
    );
    fetcher.close();
  });

  it("checks a trusted feed's redirect to another host like an untrusted URL", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const before = target.connections;
    const result = await fetcher.fetch({ url: `${hop.url}/to-localhost`, trusted: true });
    assert.match(expectError(result, "forbidden").error, /redirected to http:\/\/localhost:\d+\/: address/);
    assert.equal(target.connections, before);
    fetcher.close();
  });

  it("keeps a trusted feed's redirect on the same host trusted", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const result = expectOk(await fetcher.fetch({ url: `${hop.url}/same-host`, trusted: true }));
    assert.equal(result.finalUrl, `${hop.url}/page`);
    fetcher.close();
  });

  it("does not let an untrusted URL reuse a socket a trusted feed opened to a private host", async () => {
    const fetcher = createFetcher(
      testSettings,
      { allowNetworks: [] },
      { resolver: async () => [{ address: "127.0.0.1", family: 4 }] },
    );
    expectOk(await fetcher.fetch({ url: `http://intranet.example:${target.port}/feed`, trusted: true }));
    const result = await fetcher.fetch({
      url: `http://intranet.example:${target.port}/page`,
      trusted: false,
    });
    expectError(result, "forbidden");
    fetcher.close();
  });
});

describe("schemes", () => {
  for (const url of [
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://example.com/feed.xml",
    "file:///etc/passwd",
    "/etc/passwd",
    "gopher://127.0.0.1:25/",
  ]) {
    it(`refuses ${url.split(":")[0] || url} for an untrusted URL`, async () => {
      const fetcher = createFetcher(testSettings, { allowNetworks: ["0.0.0.0/0", "::/0"] });
      const result = expectError(await fetcher.fetch({ url, trusted: false }), "scheme");
      assert.ok(result.error.startsWith(`fetch: ${url}: `), result.error);
      fetcher.close();
    });
  }

  it("refuses ftp: for a configured feed too, and shortens huge data: URLs in the message", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    expectError(await fetcher.fetch({ url: "ftp://example.com/feed.xml", trusted: true }), "scheme");
    const huge = `data:image/png;base64,${"A".repeat(100_000)}`;
    const result = expectError(await fetcher.fetch({ url: huge, trusted: false }), "scheme");
    assert.ok(result.error.length < 400);
    assert.equal(result.url, huge);
    fetcher.close();
  });
});

describe("local files", () => {
  let dir: string;
  let feedPath: string;
  const feed = Buffer.from("<rss><channel><title>本地</title></channel></rss>");
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "newsark-fetch-"));
    feedPath = join(dir, "feed.xml");
    await writeFile(feedPath, feed);
    await writeFile(join(dir, "big.xml"), Buffer.alloc(2000, 0x61));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("reads a trusted file: URL and a trusted absolute path", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const byUrl = expectOk(await fetcher.fetch({ url: pathToFileURL(feedPath).href, trusted: true }));
    assert.deepEqual(byUrl.body, feed);
    const byPath = expectOk(await fetcher.fetch({ url: feedPath, trusted: true }));
    assert.deepEqual(byPath.body, feed);
    assert.equal(byPath.finalUrl, pathToFileURL(feedPath).href);
    fetcher.close();
  });

  it("refuses a file source when untrusted", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const byUrl = expectError(
      await fetcher.fetch({ url: pathToFileURL(feedPath).href, trusted: false }),
      "scheme",
    );
    assert.match(byUrl.error, /scheme file: is not allowed/);
    const byPath = expectError(await fetcher.fetch({ url: feedPath, trusted: false }), "scheme");
    assert.match(byPath.error, /local files are only read for configured sources/);
    fetcher.close();
  });

  it("applies the size cap to files", async () => {
    const fetcher = createFetcher({ ...testSettings, maxBytes: 1999 }, { allowNetworks: [] });
    const big = expectError(await fetcher.fetch({ url: join(dir, "big.xml"), trusted: true }), "too-large");
    assert.match(big.error, /file of 2000 bytes is over the limit of 1999 bytes$/);
    expectOk(await fetcher.fetch({ url: join(dir, "big.xml"), trusted: true, maxBytes: 2000 }));
    // A nonsense per-request cap falls back to the setting rather than lifting the cap.
    expectError(
      await fetcher.fetch({ url: join(dir, "big.xml"), trusted: true, maxBytes: Number.NaN }),
      "too-large",
    );
    fetcher.close();
  });

  it("fails a missing file, a directory and a relative path as file", async () => {
    const fetcher = createFetcher(testSettings, { allowNetworks: [] });
    const missing = expectError(await fetcher.fetch({ url: join(dir, "nope.xml"), trusted: true }), "file");
    assert.match(missing.error, /ENOENT/);
    expectError(await fetcher.fetch({ url: dir, trusted: true }), "file");
    expectError(await fetcher.fetch({ url: "feeds/voa.xml", trusted: true }), "file");
    fetcher.close();
  });
});
