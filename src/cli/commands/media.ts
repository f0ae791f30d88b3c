import { loadConfig } from "../../config/index.js";
import { NewsarkError } from "../../model/errors.js";
import { acquireLock } from "../../store/files/lock.js";
import { migrateMediaToS3 } from "../../store/media/migrate.js";
import { type Command, parseCommandArgs } from "../io.js";

/** `newsark media migrate --to s3 [--config F] [--json]`: move images/ into the configured S3 store. */
export const command: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("media", argv, {
    config: { type: "string", short: "c" },
    to: { type: "string" },
    json: { type: "boolean" },
  });
  if (positionals[0] !== "migrate" || positionals.length !== 1)
    throw new NewsarkError("usage", "media: expected 'newsark media migrate --to s3'");
  if (values.to !== "s3")
    throw new NewsarkError("usage", `media migrate: --to '${values.to ?? ""}': only s3`);
  const config = loadConfig(io.cwd, values.config);
  if (config.media?.store !== "s3")
    throw new NewsarkError(
      "config",
      "newsark.yaml: media.store: set it to s3 (with endpoint and bucket) first",
    );
  // A run at the same time would write records this migration rewrites.
  const lock = acquireLock(config.root, "media migrate");
  try {
    const report = await migrateMediaToS3(config, (done, total) => {
      if (io.isTTY) io.stdout(`\r${done}/${total}`);
    });
    if (io.isTTY) io.stdout("\n");
    if (values.json) io.stdout(`${JSON.stringify(report)}\n`);
    else {
      for (const key of report.missing) io.stdout(`missing ${key} (in neither images/ nor the store)\n`);
      io.stdout(`moved ${report.moved} images to s3 (${report.already} were there already)\n`);
    }
    return 0;
  } finally {
    lock.release();
  }
};
