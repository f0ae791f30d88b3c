import assert from "node:assert/strict";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { makeArchive } from "../../../test/support/site.js";
import { filePathFor, type RunningServer, startServer } from "./serve.js";

/** A raw GET: node:http sends the path exactly as given, so `..` and encoded slashes reach the server. */
function get(
  base: string,
  path: string,
  method = "GET",
): Promise<{ status: number; type: string; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("newsark serve", () => {
  const { root, config } = makeArchive();
  let server: RunningServer;
  let builtWhenStarted = true;
  before(async () => {
    // Outside the site: a secret the symlinks below point at.
    writeFileSync(join(root, "secret.txt"), "secret outside the site\n");
    let built = false;
    server = await startServer(config, { port: 0, host: "127.0.0.1", outDir: join(root, "site") });
    void server.ready.then(() => {
      built = true;
    });
    builtWhenStarted = built;
    await server.ready;
  });
  after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  test("SRV-01: the site is served with the right content types", async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const home = await get(server.url, "/");
    assert.equal(home.status, 200);
    assert.equal(home.type, "text/html; charset=utf-8");
    assert.ok(home.body.includes("美国之音"));
    assert.equal((await get(server.url, "/site.css")).type, "text/css; charset=utf-8");
    assert.equal((await get(server.url, "/search.js")).type, "text/javascript; charset=utf-8");
    assert.equal((await get(server.url, "/feeds/all.atom")).type, "application/atom+xml; charset=utf-8");
    assert.equal((await get(server.url, "/s/voa/")).status, 200);
    const head = await get(server.url, "/index.html", "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body, "");
    assert.equal((await get(server.url, "/index.html", "POST")).status, 405);
  });

  test("SRV-02: paths that walk out of the site are refused", async () => {
    const attempts = [
      "/../newsark.yaml",
      "/../../../../etc/passwd",
      "/..%2fnewsark.yaml",
      "/..%2f..%2f..%2f..%2fetc%2fpasswd",
      "/a/voa/..%2f..%2f..%2fnewsark.yaml",
      "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/%2e%2e%2f%2e%2e%2fnewsark.yaml",
      "/%2Fetc%2Fpasswd",
      "//etc/passwd",
      "/..%5c..%5cnewsark.yaml",
      "/.newsark-build",
      "/.newsark-build.json",
      "/a/%00.html",
      "/%E0%A4%A",
      "/etc/passwd",
      `/${encodeURIComponent(join(root, "newsark.yaml"))}`,
    ];
    for (const path of attempts) {
      const res = await get(server.url, path);
      assert.ok(res.status === 404 || res.status === 400, `${path} → ${res.status}`);
      assert.doesNotMatch(res.body, /sources:|root:x:0|"template"/, path);
    }
    assert.equal(filePathFor("/srv/site", "/a/b.html"), join("/srv/site", "a", "b.html"));
    assert.equal(filePathFor("/srv/site", "/..%2f/x"), undefined);
  });

  test("SRV-03: the search API answers JSON with results and total", async () => {
    const res = await get(server.url, `/api/search?q=${encodeURIComponent("李尚福")}&source=voa&limit=5`);
    assert.equal(res.status, 200);
    assert.equal(res.type, "application/json; charset=utf-8");
    const data = JSON.parse(res.body) as {
      results: { source: string; n: number; title: string }[];
      total: number;
    };
    assert.equal(data.total, 2);
    assert.deepEqual(data.results.map((r) => r.n).sort(), [1048573, 1048574]);
    assert.ok(data.results.every((r) => r.source === "voa" && r.title.includes("李尚福")));
    const traditional = JSON.parse(
      (await get(server.url, `/api/search?q=${encodeURIComponent("國防部長")}`)).body,
    ) as { total: number };
    assert.ok(traditional.total >= 1, "traditional characters find simplified text");
    const missing = await get(server.url, "/api/search");
    assert.equal(missing.status, 400);
    assert.ok((JSON.parse(missing.body) as { error: string }).error.startsWith("serve:"));
  });

  test("SRV-04: the server listens before the site is built, so a large archive never delays start-up", () => {
    assert.equal(builtWhenStarted, false);
  });

  test("SRV-05: symlinks in the site that lead out of it are never followed", async () => {
    const site = join(root, "site");
    symlinkSync(join(root, "secret.txt"), join(site, "secret.txt"));
    symlinkSync("/etc/passwd", join(site, "passwd.txt"));
    symlinkSync(root, join(site, "up"));
    mkdirSync(join(site, "dir"), { recursive: true });
    symlinkSync("/etc", join(site, "dir", "etc"));
    for (const path of [
      "/secret.txt",
      "/passwd.txt",
      "/up/secret.txt",
      "/up/newsark.yaml",
      "/dir/etc/passwd",
      "/dir/etc/hostname",
    ]) {
      const res = await get(server.url, path);
      assert.equal(res.status, 404, `${path} → ${res.status}`);
      assert.doesNotMatch(res.body, /secret outside|root:x:0|sources:/, path);
    }
    // A symlink that stays inside the site is fine.
    symlinkSync(join(site, "index.html"), join(site, "home.html"));
    assert.equal((await get(server.url, "/home.html")).status, 200);
  });

  test("SRV-06: bad search parameters get a 400 with a one-line JSON error naming the parameter", async () => {
    const q = `q=${encodeURIComponent("李尚福")}`;
    for (const [query, name] of [
      [`${q}&offset=1e20`, "offset"],
      [`${q}&offset=-1`, "offset"],
      [`${q}&offset=1.5`, "offset"],
      [`${q}&offset=99999999999999999999`, "offset"],
      [`${q}&limit=0`, "limit"],
      [`${q}&limit=abc`, "limit"],
      [`${q}&limit=5&limit=6`, "limit"],
      [`${q}&source=nosuch`, "source"],
    ] as const) {
      const res = await get(server.url, `/api/search?${query}`);
      assert.equal(res.status, 400, `${query} → ${res.status} ${res.body}`);
      assert.equal(res.type, "application/json; charset=utf-8");
      const error = (JSON.parse(res.body) as { error: string }).error;
      assert.ok(error.includes(name) && !error.includes("\n"), error);
    }
    assert.equal((await get(server.url, `/api/search?${q}&offset=1&limit=100`)).status, 200);
  });
});
