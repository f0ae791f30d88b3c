import { loadConfig } from "../../config/index.js";
import { NewsarkError } from "../../model/errors.js";
import { verifyMedia } from "../../store/media/verify.js";
import { type Command, parseCommandArgs } from "../io.js";

/** `newsark verify [--config F] [--sample N] [--json]`: re-hash the stored images against their records. */
export const command: Command = async (argv, io) => {
  const { values } = parseCommandArgs(
    "verify",
    argv,
    { config: { type: "string", short: "c" }, sample: { type: "string" }, json: { type: "boolean" } },
    false,
  );
  let sample: number | undefined;
  if (values.sample !== undefined) {
    sample = Number(values.sample);
    if (!Number.isInteger(sample) || sample < 1)
      throw new NewsarkError("usage", `verify: --sample '${values.sample}' is not a whole number above 0`);
  }
  const config = loadConfig(io.cwd, values.config);
  const report = await verifyMedia(config, { sample });
  if (values.json) io.stdout(`${JSON.stringify(report)}\n`);
  else {
    for (const p of report.problems) io.stdout(`${p.problem} ${p.store} ${p.key} (${p.urls[0] ?? ""})\n`);
    io.stdout(
      `checked ${report.checked} images: ${report.ok} ok, ${report.problems.length} missing or altered\n`,
    );
  }
  if (report.problems.length > 0) {
    const missing = report.problems.filter((p) => p.problem === "missing").length;
    throw new NewsarkError(
      "verify",
      `verify: ${missing} missing and ${report.problems.length - missing} altered of ${report.checked} images checked`,
    );
  }
  return 0;
};
