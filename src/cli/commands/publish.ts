import { resolve } from "node:path";
import { loadConfig } from "../../config/index.js";
import { NewsarkError } from "../../model/errors.js";
import { syncFolder } from "../../store/media/s3/sync.js";
import { type Command, parseCommandArgs } from "../io.js";

/** `newsark publish [--config F] [--site DIR] [--json]`: upload the built site to the `publish:` bucket, incrementally. */
export const command: Command = async (argv, io) => {
  const { values } = parseCommandArgs(
    "publish",
    argv,
    { config: { type: "string", short: "c" }, site: { type: "string" }, json: { type: "boolean" } },
    false,
  );
  const config = loadConfig(io.cwd, values.config);
  if (!config.publish)
    throw new NewsarkError(
      "config",
      "newsark.yaml: publish: missing (publish: { store: s3, endpoint, bucket })",
    );
  const site = resolve(config.root, values.site ?? "site");
  let report: Awaited<ReturnType<typeof syncFolder>>;
  try {
    report = await syncFolder(site, config.publish);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT")
      throw new NewsarkError("usage", `publish: ${site} does not exist (run 'newsark build' first)`);
    throw err;
  }
  if (values.json) io.stdout(`${JSON.stringify(report)}\n`);
  else
    io.stdout(
      `published ${site}: ${report.uploaded} uploaded, ${report.deleted} deleted, ${report.unchanged} unchanged\n`,
    );
  return 0;
};
