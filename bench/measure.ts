/**
 * Whole-process measurements: spawn node, take the wall time from spawn to exit, the child's peak RSS
 * and its CPU time (user + system). RSS and CPU come from /usr/bin/time when the machine has it, else
 * from a preload that reads `process.resourceUsage()` as the child exits. CPU time is reported beside
 * wall time because other work on a shared machine stretches wall times far more than CPU times.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** How the peak RSS of a child is read. */
export type RssProbe = "time" | "preload";

const TIME_BIN = "/usr/bin/time";
const PRELOAD_URL = new URL("./maxrss-preload.js", import.meta.url).href;

/** The probe this machine supports best. */
export function defaultProbe(): RssProbe {
  return existsSync(TIME_BIN) ? "time" : "preload";
}

/** One finished child. */
export interface ProcessRun {
  wallMs: number;
  /** Peak RSS in MiB; undefined when the probe could not read it. */
  rssMb: number | undefined;
  /** User + system CPU time in ms (10 ms resolution with /usr/bin/time); undefined when unknown. */
  cpuMs: number | undefined;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of one spawned node process. */
export interface NodeRunOptions {
  cwd: string;
  probe: RssProbe;
  /** Kills the child past this; a bench must never hang on a stuck run. */
  timeoutMs?: number;
  /** Scratch folder for the RSS file. */
  scratch: string;
  env?: NodeJS.ProcessEnv;
}

let rssFileSeq = 0;

/** Spawns `node ...args` and measures it. */
export function runNode(args: string[], options: NodeRunOptions): Promise<ProcessRun> {
  const rssFile = join(options.scratch, `maxrss-${process.pid}-${rssFileSeq++}.txt`);
  rmSync(rssFile, { force: true });
  const [command, argv] =
    options.probe === "time"
      ? [TIME_BIN, ["-f", "%M %U %S", "-o", rssFile, process.execPath, ...args]]
      : [process.execPath, ["--import", PRELOAD_URL, ...args]];
  const env = { ...process.env, ...options.env, NEWSARK_BENCH_MAXRSS_FILE: rssFile };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let exitedAt = 0;
    // A process group of its own, so a timeout ends node even when /usr/bin/time sits in between.
    const child = spawn(command, argv, {
      cwd: options.cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
    }, options.timeoutMs ?? 120_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("exit", () => {
      exitedAt = performance.now();
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      let rssMb: number | undefined;
      let cpuMs: number | undefined;
      try {
        // The figures are on the last line; GNU time puts "Command exited with non-zero status" before it.
        const [kb, user, sys] = (readFileSync(rssFile, "utf8").trim().split("\n").pop() ?? "")
          .split(" ")
          .map(Number);
        if (kb !== undefined && Number.isFinite(kb) && kb > 0) rssMb = kb / 1024;
        if (user !== undefined && sys !== undefined && Number.isFinite(user + sys))
          cpuMs = (user + sys) * 1000;
      } catch {
        rssMb = undefined;
      }
      rmSync(rssFile, { force: true });
      resolve({ wallMs: (exitedAt || performance.now()) - started, rssMb, cpuMs, code, stdout, stderr });
    });
  });
}

/** The compiled CLI entry, `bin/newsark.js` at the project root. */
export const NEWSARK_BIN = fileURLToPath(new URL("../../bin/newsark.js", import.meta.url));

/** Median, min and max of a series. */
export interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length === 0
      ? Number.NaN
      : sorted.length % 2
        ? (sorted[mid] as number)
        : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return {
    median,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    n: sorted.length,
  };
}

/** Runs `fn` `times` times in process and returns the stats of its durations in ms. */
export async function timeInProcess(times: number, fn: () => unknown): Promise<Stats> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return stats(ms);
}
