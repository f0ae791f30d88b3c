import { loadConfig } from "../../config/index.js";
import type { SourceReport } from "../../model/article.js";
import { NewsarkError } from "../../model/errors.js";
import type { Source } from "../../model/source.js";
import { runArchive } from "../../pipeline/run.js";
import { type CliIO, type Command, parseCommandArgs } from "../io.js";

function sourceLine(report: SourceReport, source: Source): string {
  if (report.error) return `${source.id} ${source.name}: failed: ${report.error}`;
  if (report.new + report.changed + report.unchanged === 0) return `${source.id} ${source.name}: nothing new`;
  return `${source.id} ${source.name}: ${report.new} new, ${report.changed} changed, ${report.unchanged} unchanged`;
}

/** Live progress for a terminal: finished sources scroll up, one status line stays at the bottom. */
function progress(io: CliIO, total: number, quiet: boolean, json: boolean) {
  const running = new Set<string>();
  let done = 0;
  const live = io.isTTY && !quiet && !json;
  const status = () => {
    if (live) io.stdout(`\r\x1b[K[${done}/${total}] fetching ${[...running].join(", ")}`);
  };
  return {
    start(source: Source) {
      running.add(source.id);
      status();
    },
    finish(report: SourceReport, source: Source) {
      running.delete(source.id);
      done++;
      if (json || quiet) {
        if (!quiet) for (const w of report.warnings) io.stderr(`${source.id}: ${w}\n`);
        return;
      }
      if (live) io.stdout("\r\x1b[K");
      io.stdout(`${sourceLine(report, source)}\n`);
      for (const w of report.warnings) io.stdout(`  ${w}\n`);
      status();
    },
    end() {
      if (live) io.stdout("\r\x1b[K");
    },
  };
}

function commitMessage(reports: SourceReport[], sources: Source[]): string {
  const total = (k: "new" | "changed") => reports.reduce((sum, r) => sum + r[k], 0);
  const lines = reports
    .filter((r) => r.new + r.changed > 0)
    .map((r) => {
      const s = sources.find((x) => x.id === r.id);
      return `${r.id} ${s?.name ?? ""}: ${r.new} new, ${r.changed} changed`;
    });
  return `newsark: ${total("new")} new, ${total("changed")} changed\n\n${lines.join("\n")}\n`;
}

/** `newsark run`: fetch every source once and archive what is new or changed. */
export const command: Command = async (argv, io) => {
  const { values } = parseCommandArgs(
    "run",
    argv,
    {
      config: { type: "string", short: "c" },
      source: { type: "string", multiple: true },
      commit: { type: "boolean" },
      push: { type: "boolean" },
      json: { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
    },
    false,
  );
  const config = loadConfig(io.cwd, values.config);
  const wantedIds = (values.source ?? []).flatMap((s) => s.split(",")).filter(Boolean);
  for (const id of wantedIds) {
    if (!config.sources.some((s) => s.id === id)) {
      throw new NewsarkError(
        "usage",
        `run: --source ${id}: no such source in newsark.yaml (have: ${config.sources.map((s) => s.id).join(", ")})`,
      );
    }
  }
  const sources = wantedIds.length ? config.sources.filter((s) => wantedIds.includes(s.id)) : config.sources;
  const warnings = config.warnings ?? [];
  if (!values.json && !values.quiet) for (const w of warnings) io.stdout(`${w}\n`);
  const show = progress(io, sources.length, Boolean(values.quiet), Boolean(values.json));
  const report = await runArchive(config, {
    sourceIds: wantedIds,
    onStart: (s) => show.start(s),
    onSource: (r, s) => show.finish(r, s),
  });
  show.end();
  let commit: string | undefined;
  if (values.commit || values.push) {
    const { commitArchive, pushArchive } = await import("../../vcs/git.js");
    if (values.commit) commit = commitArchive(config.root, commitMessage(report.sources, sources));
    if (values.push) pushArchive(config.root);
  }
  if (values.json) {
    const sourcesJson = report.sources.map(({ id, fetched, new: n, changed, unchanged, error }) => ({
      id,
      fetched,
      new: n,
      changed,
      unchanged,
      error,
    }));
    io.stdout(`${JSON.stringify({ sources: sourcesJson, warnings, durationMs: report.durationMs })}\n`);
  } else if (!values.quiet) {
    const n = report.sources.reduce((s, r) => s + r.new, 0);
    const c = report.sources.reduce((s, r) => s + r.changed, 0);
    const failed = report.sources.filter((r) => r.error).length;
    io.stdout(
      `done in ${(report.durationMs / 1000).toFixed(2)} s: ${n} new, ${c} changed` +
        `${failed ? `, ${failed} source${failed > 1 ? "s" : ""} failed` : ""}` +
        `${commit ? `, commit ${commit.slice(0, 10)}` : ""}; archive: ${config.root}\n`,
    );
  }
  return 0;
};
