import { resolve } from "node:path";
import { loadConfig } from "../../config/index.js";
import { buildSite } from "../../publish/site/index.js";
import { type Command, parseCommandArgs } from "../io.js";

/** newsark build [--config F] [--out DIR]: writes the static site and feeds (default `<root>/site/`). */
export const command: Command = async (argv, io) => {
  const { values } = parseCommandArgs(
    "build",
    argv,
    { config: { type: "string" }, out: { type: "string" } },
    false,
  );
  const config = loadConfig(io.cwd, values.config);
  const outDir = values.out ? resolve(io.cwd, values.out) : resolve(config.root, "site");
  const result = await buildSite(config, outDir);
  io.stdout(`build: ${result.pages} pages, ${result.written} files written in ${result.ms} ms → ${outDir}\n`);
  if (result.note) io.stdout(`${result.note}\n`);
  return 0;
};
