import * as assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { testSettings } from "../../test/support/fetch.js";
import { serveHttp, type TestServer } from "../../test/support/http.js";
import { createFetcher } from "../fetch/fetcher.js";
import { probeUrl, samePage } from "./probe.js";

let site: TestServer;
let inside: TestServer | undefined;
before(async () => {
  site = await serveHttp((req, res) => {
    const path = req.url ?? "/";
    if (path === "/alive") return res.writeHead(200, { "content-type": "text/html" }).end("<p>ok</p>");
    if (path === "/gone") return res.writeHead(410).end();
    if (path === "/slash") return res.writeHead(301, { location: "/slash/" }).end();
    if (path === "/slash/") return res.writeHead(200).end("ok");
    if (path === "/home") return res.writeHead(302, { location: "/" }).end();
    if (path === "/") return res.writeHead(200).end("home");
    if (path === "/away") return res.writeHead(301, { location: "https://elsewhere.test/" }).end();
    if (path === "/to-404") return res.writeHead(301, { location: "/missing" }).end();
    if (path === "/loop") return res.writeHead(302, { location: "/loop" }).end();
    if (path === "/private")
      return res.writeHead(302, { location: `http://127.0.0.2:${inside?.port ?? 9}/` }).end();
    if (path === "/error") return res.writeHead(503).end();
    res.writeHead(404).end();
  });
});
after(async () => {
  await site.close();
  await inside?.close();
});

test("CK-P01: alive, gone, moved within the page, moved away, to a 404, loops and errors", async () => {
  const fetcher = createFetcher(testSettings, { allowNetworks: ["127.0.0.1/32"] });
  const at = (p: string) => `${site.url}${p}`;
  assert.equal((await probeUrl(fetcher, at("/alive"))).result, "alive");
  assert.deepEqual(await probeUrl(fetcher, at("/gone")), { result: "gone", httpStatus: 410 });
  assert.deepEqual(await probeUrl(fetcher, at("/missing")), { result: "gone", httpStatus: 404 });
  assert.equal((await probeUrl(fetcher, at("/slash"))).result, "alive", "a trailing slash is the same page");
  assert.deepEqual(await probeUrl(fetcher, at("/home")), { result: "redirected", location: at("/") });
  assert.deepEqual(await probeUrl(fetcher, at("/away")), {
    result: "redirected",
    location: "https://elsewhere.test/",
  });
  assert.equal((await probeUrl(fetcher, at("/to-404"))).result, "gone");
  assert.equal((await probeUrl(fetcher, at("/loop"))).result, "redirected");
  const failed = await probeUrl(fetcher, at("/error"));
  assert.equal(failed.result, "failed");
  fetcher.close();
});

test("CK-P02: a redirect to a forbidden address is never followed", async () => {
  let reached = 0;
  inside = await serveHttp(() => {
    reached++;
  });
  const fetcher = createFetcher(testSettings, { allowNetworks: ["127.0.0.1/32"] });
  const got = await probeUrl(fetcher, `${site.url}/private`);
  assert.equal(got.result, "redirected", "another host is a move away; it is not contacted");
  assert.equal(reached, 0);
  const direct = await probeUrl(fetcher, `http://127.0.0.2:${inside.port}/article`);
  assert.equal(direct.result, "failed");
  assert.match(direct.result === "failed" ? direct.error : "", /not allowed/);
  assert.equal(reached, 0);
  fetcher.close();
});

test("CK-P03: the same page across http/https, www. and tracking parameters", () => {
  assert.ok(samePage(new URL("http://www.rfa.org/a/1?utm_source=x"), new URL("https://rfa.org/a/1/")));
  assert.ok(!samePage(new URL("https://rfa.org/a/1?id=1"), new URL("https://rfa.org/a/1?id=2")));
});
