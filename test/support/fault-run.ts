/** `newsark run` in a child process with a fault injected (src/util/fault.ts), for the crash tests. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** bin/newsark.js in the repository (this file runs from dist/test/support/). */
const BIN = fileURLToPath(new URL("../../../bin/newsark.js", import.meta.url));

/**
 * Runs `newsark run --quiet` in `dir` with NEWSARK_FAULT set to `fault` (a kill point such as
 * "before-rename:2", or an I/O refusal such as "io:ENOSPC:/state/"); resolves with how it ended.
 */
export function runWithFault(
  dir: string,
  fault: string,
): Promise<{ signal: NodeJS.Signals | null; code: number | null }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [BIN, "run", "--quiet"], {
      cwd: dir,
      stdio: "ignore",
      env: { ...process.env, NEWSARK_FAULT: fault },
    });
    child.on("error", fail);
    child.on("exit", (code, signal) => ok({ signal, code }));
  });
}
