import { loadConfig } from "../../config/index.js";
import { contentHash, linkKeyOf } from "../../normalize/index.js";
import { writeSourceLists } from "../../publish/lists/index.js";
import { acquireLock } from "../../store/files/lock.js";
import {
  makeSourceState,
  readSourceState,
  rebuildRecords,
  writeSourceState,
} from "../../store/files/state.js";
import { flushFilesystem } from "../../util/atomic.js";
import { type Command, parseCommandArgs } from "../io.js";
import { commandRebuild } from "./catalog-progress.js";

/**
 * `newsark reindex`: rebuilds the search catalog from the article files; with `--state`, also
 * rebuilds state/<id>.tsv from the files (for archives made by the system newsark replaces), keeping
 * what the old state knew (identity keys, versions, checks) for the articles it had.
 */
export const command: Command = async (argv, io) => {
  const { values } = parseCommandArgs(
    "reindex",
    argv,
    { config: { type: "string", short: "c" }, state: { type: "boolean" } },
    false,
  );
  const config = loadConfig(io.cwd, values.config);
  const lock = acquireLock(config.root, "reindex");
  try {
    if (values.state) {
      for (const source of config.sources) {
        const old = readSourceState(config.root, source.id);
        const { records, missing } = rebuildRecords(
          config.root,
          source.id,
          linkKeyOf,
          contentHash,
          old?.records,
          source.name,
        );
        if (records.length > 0 || old) writeSourceState(config.root, source.id, makeSourceState(records));
        io.stdout(`${source.id} ${source.name}: ${records.length} articles in state\n`);
        if (missing.length > 0) {
          const shown = missing.slice(0, 5).map((n) => `articles/${source.id}/${n}.md`);
          io.stdout(
            `${source.id}: ${missing.length} articles the old state or lists point at have no file and are left out: ${shown.join(", ")}${missing.length > 5 ? ", …" : ""}\n`,
          );
        }
      }
      flushFilesystem(config.root);
    }
    // Lists follow from the state, so a deleted or hand-edited list page is restored here too.
    for (const source of config.sources) {
      const state = readSourceState(config.root, source.id);
      if (state) writeSourceLists(config.root, source, state.records, config.timezone, config.listSize);
    }
    const started = performance.now();
    const { reindexCatalog, countArticles } = await import("../../search/index.js");
    const { openCatalog } = await import("../../search/catalog.js");
    const rebuild = commandRebuild(io, "reindex");
    let count: number;
    try {
      rebuild.expect(
        countArticles(
          config.root,
          config.sources.map((s) => s.id),
        ),
      );
      count = await reindexCatalog(config.root, openCatalog(config), config.sources, rebuild);
    } finally {
      rebuild.dispose();
    }
    io.stdout(
      `search catalog rebuilt: ${count} articles in ${((performance.now() - started) / 1000).toFixed(2)} s\n`,
    );
  } finally {
    lock.release();
  }
  return 0;
};
