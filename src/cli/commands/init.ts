import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { ARCHIVE_GITIGNORE, DEFAULT_CONFIG, READER_README, WORKFLOW } from "../../init/templates.js";
import { NewsarkError } from "../../model/errors.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { initRepo } from "../../vcs/git.js";
import { type Command, parseCommandArgs } from "../io.js";

/** `newsark init [DIR]`: a ready archive with the default outlets, an hourly workflow and a README. */
export const command: Command = async (argv, io) => {
  const { positionals } = parseCommandArgs("init", argv, {});
  if (positionals.length > 1) throw new NewsarkError("usage", "init: takes at most one folder");
  const root = resolve(io.cwd, positionals[0] ?? ".");
  const configPath = join(root, "newsark.yaml");
  if (existsSync(configPath))
    throw new NewsarkError("usage", `init: ${configPath} already exists; nothing was changed`);
  mkdirSync(root, { recursive: true });
  const files: [string, string][] = [
    ["newsark.yaml", DEFAULT_CONFIG],
    [".github/workflows/newsark.yml", WORKFLOW],
    ["README.md", READER_README],
    [".gitignore", ARCHIVE_GITIGNORE],
  ];
  const written: string[] = [];
  for (const [name, text] of files) {
    const path = join(root, name);
    if (existsSync(path)) continue;
    writeFileAtomic(path, text);
    written.push(name);
  }
  const createdRepo = initRepo(root);
  io.stdout(
    `newsark archive ready in ${root}\n  wrote ${written.join(", ")}${createdRepo ? "\n  created a git repository" : ""}\n` +
      `next: ${root === resolve(io.cwd) ? "" : `cd ${positionals[0]} && `}newsark run\n`,
  );
  return 0;
};
