import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { NewsarkError } from "../../model/errors.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { type CliIO, type Command, parseCommandArgs } from "../io.js";
import { command as runCommand } from "./run.js";

/** The bundled sample feeds and images: `demo/` at the package root. */
const DEMO_DIR = fileURLToPath(new URL("../../../../demo/", import.meta.url));
const MARKER = "# newsark offline demo";
const DEMO_PORT = 47813;

const TYPES: Record<string, string> = { ".xml": "application/xml; charset=utf-8", ".png": "image/png" };

/** Serves the bundled feeds on 127.0.0.1, with {{BASE}} in them replaced by the server's address. */
async function serveDemoFeeds(): Promise<{ base: string; close: () => void; edit: () => void }> {
  let base = "";
  // After edit(), the sample feed carries an edited article, as a source would an hour later.
  let edited = false;
  const server = createServer((req, res) => {
    let path = normalize(decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/")).replace(
      /^(\.\.[/\\])+/,
      "",
    );
    if (edited && path === "/feeds/sample.xml") path = "/feeds/sample.edited.xml";
    const file = join(DEMO_DIR, path);
    if (!file.startsWith(DEMO_DIR) || !existsSync(file) || !/\.(xml|png)$/.test(file)) {
      res.writeHead(404).end();
      return;
    }
    let body: Buffer | string = readFileSync(file);
    if (file.endsWith(".xml")) body = body.toString("utf8").replaceAll("{{BASE}}", base);
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
  });
  // A fixed port keeps the sample feeds' links and image addresses the same from one demo to the next
  // (else every demo would see them as edited); any free port does when it is taken.
  await new Promise<void>((ok) => {
    server.once("error", () => server.listen(0, "127.0.0.1", ok));
    server.listen(DEMO_PORT, "127.0.0.1", ok);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: () => server.close(),
    edit: () => {
      edited = true;
    },
  };
}

function demoConfig(base: string): string {
  return `${MARKER}: feeds bundled with newsark, served on 127.0.0.1 while the demo runs.
timezone: Asia/Shanghai
allowNetworks: ["127.0.0.0/8"]
sources:
  - { id: voa, name: 美国之音, url: "${base}/feeds/voa.xml", images: keep }
  - { id: sample, name: 示例, url: "${base}/feeds/sample.xml", images: archive }
`;
}

async function buildAndServe(root: string, io: CliIO, serveIt: boolean): Promise<void> {
  const { loadConfig } = await import("../../config/index.js");
  const config = loadConfig(root);
  const { buildSite } = await import("../../publish/site/index.js");
  const out = join(root, "site");
  const built = await buildSite(config, out);
  io.stdout(`site: ${built.pages} pages in ${out} (open ${join(out, "index.html")})\n`);
  if (!serveIt) return;
  const { startServer } = await import("../../publish/site/serve.js");
  const server = await startServer(config, { port: 0, host: "127.0.0.1", outDir: out });
  io.stdout(`serving the demo archive at ${server.url} — press Ctrl-C to stop\n`);
  await new Promise<void>((ok) => {
    process.once("SIGINT", ok);
    process.once("SIGTERM", ok);
  });
  await server.close();
}

/**
 * `newsark demo [DIR] [--no-serve]`: the offline demo. Serves bundled sample feeds (including the seed
 * feed) on 127.0.0.1, archives them into ./demo-archive, builds the site and serves it.
 */
export const command: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("demo", argv, { "no-serve": { type: "boolean" } });
  const root = resolve(io.cwd, positionals[0] ?? "demo-archive");
  const configPath = join(root, "newsark.yaml");
  if (existsSync(configPath) && !readFileSync(configPath, "utf8").startsWith(MARKER)) {
    throw new NewsarkError("usage", `demo: ${configPath} is not a demo archive; choose another folder`);
  }
  mkdirSync(root, { recursive: true });
  const feeds = await serveDemoFeeds();
  try {
    writeFileAtomic(configPath, demoConfig(feeds.base));
    const fresh = !existsSync(join(root, "state"));
    if (!fresh) feeds.edit();
    io.stdout(`newsark demo: archiving the bundled feeds served at ${feeds.base}\n`);
    await runCommand(["--config", configPath], io);
    if (fresh) {
      // A second run, as an hour later: one sample article was edited at the source meanwhile.
      feeds.edit();
      io.stdout("\nan hour later, the sample source has edited an article:\n");
      await runCommand(["--config", configPath], io);
      io.stdout(`see both versions: newsark history sample/1048573 --config ${configPath}\n`);
    }
  } finally {
    feeds.close();
  }
  io.stdout(`archive: ${root}\n  lists:    ${join(root, "lists")}\n  articles: ${join(root, "articles")}\n`);
  await buildAndServe(root, io, !values["no-serve"] && !io.env.CI);
  return 0;
};
