/**
 * `npm run bench`: what a cron or CI run of newsark costs, measured on whole processes against a
 * synthetic corpus served on 127.0.0.1, with the project's targets marked PASS or MISS. Prints a table
 * and writes the same figures to bench-results.json. Options: `--reps N` (default 5), `--no-profile`,
 * `--no-rooms` (skip the search, site, check and image benches). `npm run bench -- scale` measures a
 * realistic archive at 1k…300k articles instead (bench/scale.ts); `npm run bench -- fts-options` the
 * FTS5 layouts the catalog chose between (bench/fts-options.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { freshArchive } from "./archives.js";
import { ITEMS_PER_FEED, makeSources } from "./corpus.js";
import { benchLists, benchParse } from "./in-process.js";
import { defaultProbe, type ProcessRun, runNode } from "./measure.js";
import { IMPORT_TARGETS, importCost, loadedModules, profileRun, syncCost } from "./profile.js";
import { atLeastRate, atMostMb, atMostMs, type Heading, judge, type Row, table } from "./report.js";
import {
  type BenchContext,
  firstAndRepeat,
  hourlyDay,
  largeArchive,
  repeatNothingNew,
  type Series,
  seriesOf,
} from "./runs.js";

const PROJECT = fileURLToPath(new URL("../../", import.meta.url));

/** Targets of the project, in ms per run unless named otherwise. */
const TARGETS = {
  first7: { ms: 250, rate: 1400, mb: 80 },
  first50: { ms: 600, rate: 4000, mb: 120 },
  nothingNewBaseMs: 200,
  nothingNewPerSourceMs: 1.5,
  hourlyTotalMs: 5000,
  listsMs: 300,
};

/** The benches of the other rooms, each `async function benchX(): Promise<Record<string, number>>`. */
const ROOM_BENCHES = [
  { file: "./search.js", name: "benchSearch" },
  { file: "./site.js", name: "benchSite" },
  { file: "./site-search.js", name: "benchSiteSearch" },
  { file: "./check.js", name: "benchCheck" },
  { file: "./images.js", name: "benchImages" },
];

const nothingNewLimit = (sources: number) =>
  TARGETS.nothingNewBaseMs + TARGETS.nothingNewPerSourceMs * sources;

function runRow(id: string, label: string, s: Series, extra: Partial<Row> = {}): Row {
  return judge({ id, label, ms: s.ms, mb: s.mb, cpu: s.cpu, targets: [], ...extra });
}

async function nodeBaseline(ctx: BenchContext, probe: BenchContext["probe"]): Promise<Series> {
  const measured: ProcessRun[] = [];
  for (let i = 0; i <= ctx.reps + 2; i++) {
    const run = await runNode(["-e", "0"], { cwd: ctx.scratch, probe, scratch: ctx.scratch });
    if (i > 0) measured.push(run);
  }
  return seriesOf(measured);
}

async function roomBenches(log: (text: string) => void) {
  const out: Record<string, Record<string, number> | { skipped: string } | { failed: string }> = {};
  for (const { file, name } of ROOM_BENCHES) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(file)) as Record<string, unknown>;
    } catch (err) {
      const missing =
        (err as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" && String(err).includes(file.slice(2));
      out[name] = missing
        ? { skipped: `bench/${file.slice(2, -3)}.ts is not there yet` }
        : { failed: String(err).split("\n")[0] ?? "" };
      log(
        `${name}: ${missing ? "skipped (module missing)" : `failed to load: ${String(err).split("\n")[0]}`}`,
      );
      continue;
    }
    const fn = mod[name];
    if (typeof fn !== "function") {
      out[name] = { skipped: `${file} does not export ${name}` };
      continue;
    }
    const t0 = performance.now();
    try {
      log(`${name}: running…`);
      out[name] = (await (fn as () => Promise<Record<string, number>>)()) ?? {};
      log(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      out[name] = { failed: err instanceof Error ? err.message : String(err) };
      log(`${name}: failed: ${String(err).split("\n")[0]}`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  if (process.argv[2] === "scale") {
    const { benchScale } = await import("./scale.js");
    await benchScale(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === "small") return (await import("./small.js")).benchSmall(process.argv.slice(3));
  if (process.argv[2] === "fts-options") {
    const { benchFtsOptions } = await import("./fts-options.js");
    await benchFtsOptions(Number(process.argv[3] ?? 20_000));
    return;
  }
  const { values } = parseArgs({
    options: {
      reps: { type: "string", default: "5" },
      "no-profile": { type: "boolean" },
      "no-rooms": { type: "boolean" },
    },
  });
  const reps = Math.min(50, Math.max(1, Number(values.reps) || 5));
  const scratch = mkdtempSync(join(tmpdir(), "newsark-bench-"));
  const cleanup = () => rmSync(scratch, { recursive: true, force: true });
  // An interrupted bench must not leave 100,000 article files in the temp folder.
  process.once("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  const started = performance.now();
  const log = (text: string) =>
    process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${text}\n`);
  const ctx: BenchContext = { scratch, probe: defaultProbe(), reps };
  const lines: (Row | Heading)[] = [];
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? "?"}`,
    rssProbe:
      ctx.probe === "time"
        ? "/usr/bin/time -f %M"
        : "--import maxrss-preload (process.resourceUsage().maxRSS)",
    reps,
    // Other work on the machine skews wall times; the load around the bench says how much to trust them.
    loadAverageBefore: loadavg().map((l) => Math.round(l * 100) / 100),
  };
  try {
    log(`scratch ${scratch}; peak RSS via ${results.rssProbe}; ${reps} measured runs per figure`);
    log("node start-up baseline…");
    const baseline = await nodeBaseline(ctx, ctx.probe);
    lines.push({ heading: "Context" });
    lines.push(runRow("nodeStartup", "node -e 0 (start-up baseline)", baseline));

    log("7 sources × 50 items: first runs, then nothing-new runs…");
    const seven = await firstAndRepeat(ctx, 7);
    log("50 sources × 50 items: first runs, then nothing-new runs…");
    const fifty = await firstAndRepeat(ctx, 50);

    // The preload probe must read the same as /usr/bin/time, or its figures could not stand in for it.
    let probeCheck: Record<string, number> | undefined;
    if (ctx.probe === "time") {
      log("checking the preload RSS probe against /usr/bin/time…");
      const viaPreload = await repeatNothingNew({ ...ctx, probe: "preload" }, seven.root, seven.server, 7);
      const startPreload = await nodeBaseline(ctx, "preload");
      probeCheck = {
        nothingNew7TimeMs: seven.nothingNew.ms.median,
        nothingNew7PreloadMs: viaPreload.ms.median,
        nothingNew7TimeMb: seven.nothingNew.mb?.median ?? Number.NaN,
        nothingNew7PreloadMb: viaPreload.mb?.median ?? Number.NaN,
        nodeStartupTimeMs: baseline.ms.median,
        nodeStartupPreloadMs: startPreload.ms.median,
      };
      results.probeCheck = probeCheck;
    }

    lines.push({ heading: "First run (fresh archive)" });
    const firstRow = (id: string, label: string, f: typeof seven, t: typeof TARGETS.first7) =>
      runRow(id, label, f.first, {
        rate: f.items / (f.first.ms.median / 1000),
        targets: [atMostMs(t.ms), atLeastRate(t.rate), atMostMb(t.mb)],
      });
    lines.push(firstRow("first7x50", `7 sources × ${ITEMS_PER_FEED} items`, seven, TARGETS.first7));
    lines.push(firstRow("first50x50", `50 sources × ${ITEMS_PER_FEED} items`, fifty, TARGETS.first50));

    log("bare parse of the same feeds…");
    const parse7 = await benchParse(ctx, "7×50", seven.server.bodies());
    const parse50 = await benchParse(ctx, "50×50", fifty.server.bodies());
    const parseRows = (id: string, label: string, p: typeof parse7) => [
      judge({
        id: `${id}InProcess`,
        label: `  bare parseFeed ${label}, in process (warm)`,
        ms: p.warm,
        targets: [],
        rate: p.items / (p.warm.median / 1000),
        note: `cold ${p.coldMs.toFixed(0)} ms, ${(p.bytes / 1048576).toFixed(1)} MB of XML`,
      }),
      runRow(`${id}Process`, `  bare parseFeed ${label}, node -e`, p.process, {
        rate: p.items / (p.process.ms.median / 1000),
      }),
    ];
    lines.push(...parseRows("parse7x50", "7×50", parse7), ...parseRows("parse50x50", "50×50", parse50));

    lines.push({ heading: "Nothing new (every feed answers 304)" });
    lines.push(
      runRow("nothingNew7", "7 sources", seven.nothingNew, { targets: [atMostMs(nothingNewLimit(7))] }),
    );
    lines.push(
      runRow("nothingNew50", "50 sources", fifty.nothingNew, { targets: [atMostMs(nothingNewLimit(50))] }),
    );

    let profile: Record<string, unknown> | undefined;
    if (!values["no-profile"]) {
      log("profiling the 7×50 first run and the nothing-new run…");
      const fresh = freshArchive(scratch, makeSources(7), seven.server);
      const modulesFirst = await loadedModules(fresh, scratch, ctx.probe);
      rmSync(fresh, { recursive: true, force: true });
      const fresh2 = freshArchive(scratch, makeSources(7), seven.server);
      const cpuFirst = await profileRun(fresh2, scratch, ctx.probe);
      rmSync(fresh2, { recursive: true, force: true });
      const modulesRepeat = await loadedModules(seven.root, scratch, ctx.probe);
      const cpuRepeat = await profileRun(seven.root, scratch, ctx.probe);
      log("import cost of each module in a fresh node…");
      const imports: Record<string, number | null> = {};
      for (const target of IMPORT_TARGETS) imports[target] = (await importCost(target, scratch)) ?? null;
      profile = {
        firstRun7x50: { modules: modulesFirst, cpu: cpuFirst },
        nothingNew7: { modules: modulesRepeat, cpu: cpuRepeat },
        importMs: imports,
        syncFlushMs: syncCost(scratch) ?? null,
      };
      results.profile = profile;
    }
    await seven.server.close();
    await fifty.server.close();
    rmSync(seven.root, { recursive: true, force: true });
    rmSync(fifty.root, { recursive: true, force: true });

    log("100,000-article archive: generating, then nothing-new and feeds-changed runs…");
    const large = await largeArchive(ctx);
    lines.push(
      runRow(
        "nothingNew100k",
        `7 sources, ${large.articles.toLocaleString("en-US")}-article archive`,
        large.nothingNew,
        { targets: [atMostMs(nothingNewLimit(7))] },
      ),
    );
    lines.push({ heading: "Feeds changed (3 new items per source)" });
    lines.push(
      runRow(
        "changed100k",
        `7 sources, ${large.articles.toLocaleString("en-US")}-article archive`,
        large.changed,
        { note: `archive generated in ${(large.generateMs / 1000).toFixed(1)} s` },
      ),
    );

    log("24 hourly snapshots…");
    const hourly = await hourlyDay(ctx);
    lines.push(runRow("hourlyRun", "  one hourly run (7 sources)", hourly.perRun));
    lines.push(
      judge({
        id: "hourly24",
        label: "24 hourly snapshots, total",
        ms: hourly.total,
        cpu: hourly.totalCpu,
        targets: [atMostMs(TARGETS.hourlyTotalMs)],
      }),
    );

    log("lists of 100,000 articles…");
    const lists = benchLists(ctx);
    lines.push({
      heading: `Lists (${lists.articles.toLocaleString("en-US")} articles, 7 sources, ${lists.files.toLocaleString("en-US")} pages)`,
    });
    lines.push(
      judge({
        id: "listsRender",
        label: "renderLists, in process",
        ms: lists.render,
        targets: [atMostMs(TARGETS.listsMs)],
      }),
    );
    lines.push(
      judge({
        id: "listsRenderWrite",
        label: "render + rewrite changed pages",
        ms: lists.renderAndWrite,
        targets: [atMostMs(TARGETS.listsMs)],
      }),
    );

    results.rows = lines.filter((l): l is Row => !("heading" in l));
    if (!values["no-rooms"]) {
      log("benches of the other rooms…");
      results.rooms = await roomBenches(log);
    }
    results.loadAverageAfter = loadavg().map((l) => Math.round(l * 100) / 100);
    results.totalSeconds = Math.round((performance.now() - started) / 100) / 10;

    const out: string[] = [table(lines)];
    if (probeCheck) {
      out.push(
        `\nRSS probe check (nothing-new, 7 sources): /usr/bin/time ${probeCheck.nothingNew7TimeMs?.toFixed(0)} ms ${probeCheck.nothingNew7TimeMb?.toFixed(1)} MB, ` +
          `preload ${probeCheck.nothingNew7PreloadMs?.toFixed(0)} ms ${probeCheck.nothingNew7PreloadMb?.toFixed(1)} MB; ` +
          `node -e 0: ${probeCheck.nodeStartupTimeMs?.toFixed(1)} ms vs ${probeCheck.nodeStartupPreloadMs?.toFixed(1)} ms`,
      );
    }
    if (profile) out.push(profileText(profile));
    if (results.rooms) {
      out.push("\nOther rooms:");
      for (const [name, figures] of Object.entries(
        results.rooms as Record<string, Record<string, unknown>>,
      )) {
        out.push(
          `  ${name}: ${Object.entries(figures)
            .map(([k, v]) => `${k}=${typeof v === "number" ? Math.round(v * 100) / 100 : v}`)
            .join(", ")}`,
        );
      }
    }
    const judged = results.rows as Row[];
    const checks = judged.flatMap((r) => r.targets);
    out.push(
      `\n${checks.filter((t) => t.pass).length}/${checks.length} targets met; bench took ${results.totalSeconds} s; ` +
        `load average ${String(results.loadAverageBefore)} before, ${String(results.loadAverageAfter)} after (${cpus().length} CPUs)`,
    );
    process.stdout.write(`${out.join("\n")}\n`);
    writeFileSync(join(PROJECT, "bench-results.json"), `${JSON.stringify(results, null, 2)}\n`);
    log(`figures written to ${join(PROJECT, "bench-results.json")}`);
  } finally {
    cleanup();
  }
}

function profileText(profile: Record<string, unknown>): string {
  type Cpu = {
    totalMs: number;
    byBucket: { name: string; ms: number }[];
    byFunction: { name: string; ms: number }[];
  };
  const out: string[] = ["\nProfile"];
  for (const key of ["firstRun7x50", "nothingNew7"]) {
    const p = profile[key] as { modules: string[]; cpu: Cpu };
    out.push(`\n${key}: profiled ${p.cpu.totalMs} ms of CPU samples`);
    out.push(`  loads: ${p.modules.join(", ")}`);
    out.push(`  self time by part: ${p.cpu.byBucket.map((b) => `${b.name} ${b.ms}`).join(", ")}`);
    out.push("  top functions (self ms):");
    for (const f of p.cpu.byFunction) out.push(`    ${String(f.ms).padStart(6)}  ${f.name}`);
  }
  out.push("\nCold import() in a fresh node (ms, median of 3; overlapping dependencies count in each):");
  for (const [name, ms] of Object.entries(profile.importMs as Record<string, number | null>)) {
    out.push(`  ${name.padEnd(40)} ${ms === null ? "missing" : ms.toFixed(1)}`);
  }
  out.push(
    `\nsync -f on the temp filesystem (the run's durability flush): ${(profile.syncFlushMs as number | null)?.toFixed(1) ?? "n/a"} ms`,
  );
  return out.join("\n");
}

await main();
