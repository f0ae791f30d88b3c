/**
 * Where the time of a run goes: a CPU profile of the whole process grouped by package or newsark room,
 * the modules the run loads, and what importing each of them costs in a fresh process.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NEWSARK_BIN, type RssProbe, runNode, stats } from "./measure.js";

const PROJECT = fileURLToPath(new URL("../../", import.meta.url));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Names the part of the program a script URL belongs to: a package, a newsark room, or node itself. */
export function bucketOf(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const room = /dist\/src\/([^/]+)\/(?:([^/]+)\/)?/.exec(url);
  if (room) return `newsark ${room[1]}${room[2] && !room[2].endsWith(".js") ? `/${room[2]}` : ""}`;
  if (url.includes("/bin/newsark.js")) return "newsark bin";
  const internal = /^node:internal\/([^/]+(?:\/[^/]+)?)/.exec(url);
  if (internal) return `node:${(internal[1] as string).replace(/\.js$/, "")}`;
  if (url.startsWith("node:")) return url;
  return url.replace(/^file:\/\//, "").slice(-60);
}

/** Self time (ms) by bucket and by function, from a .cpuprofile. */
export function summarizeProfile(profile: CpuProfile, top = 12) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const buckets = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const bucket = bucketOf(url, functionName);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + ms);
    const where = url ? `${url.replace(/^.*\/(node_modules|dist)\//, "$1/")}:${lineNumber + 1}` : "";
    const fn = `${functionName || "(anonymous)"} ${where}`.trim();
    functions.set(fn, (functions.get(fn) ?? 0) + ms);
  }
  const sortDesc = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10 }));
  return {
    totalMs: Math.round((profile.endTime - profile.startTime) / 100) / 10,
    byBucket: sortDesc(buckets),
    byFunction: sortDesc(functions),
  };
}

/** Profiles one `newsark run` in `root` (sampling every 200 µs). */
export async function profileRun(root: string, scratch: string, probe: RssProbe) {
  const dir = mkdtempSync(join(scratch, "cpuprof-"));
  try {
    const run = await runNode(
      [
        "--cpu-prof",
        "--cpu-prof-dir",
        dir,
        "--cpu-prof-interval",
        "200",
        NEWSARK_BIN,
        "run",
        "--json",
        "--quiet",
      ],
      { cwd: root, probe, scratch, timeoutMs: 120_000 },
    );
    if (run.code !== 0) throw new Error(`profiled run exited ${run.code}: ${run.stderr.slice(0, 300)}`);
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) throw new Error("no .cpuprofile written");
    return {
      wallMs: run.wallMs,
      ...summarizeProfile(JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Packages (and newsark rooms) a run loads, from the module log of a run in `root`. */
export async function loadedModules(root: string, scratch: string, probe: RssProbe): Promise<string[]> {
  const log = join(scratch, `modules-${process.pid}.log`);
  rmSync(log, { force: true });
  const preload = new URL("./module-log-preload.js", import.meta.url).href;
  const run = await runNode(["--import", preload, NEWSARK_BIN, "run", "--json", "--quiet"], {
    cwd: root,
    probe,
    scratch,
    timeoutMs: 120_000,
    env: { NEWSARK_BENCH_MODULE_LOG: log },
  });
  if (run.code !== 0) throw new Error(`module-logged run exited ${run.code}: ${run.stderr.slice(0, 300)}`);
  let urls: string[] = [];
  try {
    urls = readFileSync(log, "utf8").split("\n").filter(Boolean);
  } finally {
    rmSync(log, { force: true });
  }
  const names = new Set<string>();
  for (const url of urls) {
    if (url.startsWith("node:")) continue;
    if (url.includes("/bench/")) continue;
    names.add(bucketOf(url, ""));
  }
  return [...names].sort();
}

/** Modules whose import cost the profile reports: the packages newsark depends on and its own entry points. */
export const IMPORT_TARGETS = [
  "yaml",
  "htmlparser2",
  "entities",
  "iconv-lite",
  "better-sqlite3",
  "feedsmith",
  "fast-xml-parser",
  "linkedom",
  "@mozilla/readability",
  "diff",
  "opencc-js",
  "./dist/src/config/index.js",
  "./dist/src/fetch/index.js",
  "./dist/src/parse/index.js",
  "./dist/src/normalize/index.js",
  "./dist/src/extract/index.js",
  "./dist/src/publish/lists/index.js",
  "./dist/src/archive/catalog-queue.js",
  "./dist/src/search/index.js",
  "./dist/src/store/sqlite/index.js",
  "./dist/src/pipeline/run.js",
  "./dist/src/cli/commands/run.js",
];

/**
 * Cold import cost of `specifier` in a fresh node (ms, median of `times`); undefined when the module
 * is not there. Measured in the child around `import()`, so node's own start-up is not in the figure.
 */
export async function importCost(specifier: string, scratch: string, times = 3): Promise<number | undefined> {
  const spec = specifier.startsWith("./") ? new URL(specifier, `file://${PROJECT}`).href : specifier;
  const script = `const t = performance.now(); await import(${JSON.stringify(spec)}); process.stdout.write(String(performance.now() - t));`;
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const run = await runNode(["--input-type=module", "-e", script], {
      cwd: PROJECT,
      probe: "preload",
      scratch,
      timeoutMs: 30_000,
    });
    if (run.code !== 0) return undefined;
    ms.push(Number(run.stdout));
  }
  return stats(ms).median;
}

/** What `sync -f` (the run's durability flush) costs on the filesystem of `dir`, ms per call. */
export function syncCost(dir: string, times = 5): number | undefined {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    try {
      execFileSync("sync", ["-f", dir], { stdio: "ignore", timeout: 30_000 });
    } catch {
      return undefined;
    }
    ms.push(performance.now() - t0);
  }
  return stats(ms).median;
}
