/**
 * Loaded with `node --import` when /usr/bin/time is missing: writes the process's peak RSS (KB) and its
 * user and system CPU time (seconds, as /usr/bin/time -f "%M %U %S" does) to the file named by
 * NEWSARK_BENCH_MAXRSS_FILE as it exits, so the bench can still report memory and CPU.
 */
import { writeFileSync } from "node:fs";

const file = process.env.NEWSARK_BENCH_MAXRSS_FILE;
if (file) {
  process.on("exit", () => {
    try {
      const usage = process.resourceUsage();
      writeFileSync(file, `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`);
    } catch {
      // A bench that cannot read the figure reports it as missing; the run itself must not fail.
    }
  });
}
