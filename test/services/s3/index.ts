import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const DIR = resolve("test/services/s3");

/** A running S3 server (OpenStack Swift's S3 API) on 127.0.0.1, with its credentials. */
export interface S3Service {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  /** The environment newsark reads credentials from. */
  env: Record<string, string>;
  /** Stops every process it started and removes its data. */
  stop(): Promise<void>;
}

/** Whether Debian's python3-swift is installed (the S3 server the tests run). */
export async function swiftInstalled(): Promise<boolean> {
  if (!existsSync("/usr/bin/python3")) return false;
  try {
    await run("/usr/bin/python3", ["-c", "import swift.common.middleware.s3api"]);
    return true;
  } catch {
    return false;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const server = createServer();
    server.once("error", () => ok(false));
    server.listen(port, "127.0.0.1", () => server.close(() => ok(true)));
  });
}

/** A port whose next three are free too (Swift's account, container and object servers); bounded tries. */
async function freePorts(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 20000);
    const all = await Promise.all([0, 1, 2, 3].map((i) => portFree(base + i)));
    if (all.every(Boolean)) return base;
  }
  throw new Error("s3 service: no four free ports in 50 tries");
}

/**
 * Starts a real S3 server in a temp folder on free ports. Returns undefined (the caller skips with the
 * reason) when python3-swift is absent, except under CI=true, where that is a failure. If start-up fails,
 * whatever did start is stopped before the error is thrown.
 *
 * @example
 * const s3 = await startS3(); if (!s3) t.skip("python3-swift not installed"); … finally { await s3.stop() }
 */
export async function startS3(): Promise<S3Service | undefined> {
  if (!(await swiftInstalled())) {
    if (process.env.CI === "true")
      throw new Error("s3 service: python3-swift is not installed (CI needs it)");
    return undefined;
  }
  const data = mkdtempSync(join(tmpdir(), "newsark-s3-"));
  const stop = async () => {
    try {
      await run(join(DIR, "stop.sh"), [data]);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  };
  try {
    const port = await freePorts();
    const { stdout } = await run(join(DIR, "start.sh"), [String(port), data], { timeout: 90_000 });
    const vars = Object.fromEntries(
      stdout
        .trim()
        .split(/\s+/)
        .map((kv) => kv.split("=", 2) as [string, string]),
    );
    const endpoint = vars.S3_ENDPOINT ?? `http://127.0.0.1:${port}`;
    const accessKey = vars.S3_ACCESS_KEY_ID ?? "";
    const secretKey = vars.S3_SECRET_ACCESS_KEY ?? "";
    return {
      endpoint,
      accessKey,
      secretKey,
      env: { NEWSARK_S3_ACCESS_KEY_ID: accessKey, NEWSARK_S3_SECRET_ACCESS_KEY: secretKey },
      stop,
    };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

/** Why S3 tests are skipped on this machine. */
export const SKIP_S3 = "python3-swift is not installed (apt-get install python3-swift); S3 tests skipped";
