import { type CheckReport, checkArchive, parseLimit, parseSince } from "../../check/index.js";
import { checkMessages } from "../../check/messages.js";
import { loadConfig } from "../../config/index.js";
import { NewsarkError } from "../../model/errors.js";
import { type Command, parseCommandArgs } from "../io.js";

function summaryLine(r: CheckReport): string {
  return (
    `checked ${r.checked} article${r.checked === 1 ? "" : "s"} in ${(r.durationMs / 1000).toFixed(2)} s: ` +
    `${r.alive} alive, ${r.gone} gone, ${r.redirected} redirected, ${r.changed} changed, ${r.failed} failed`
  );
}

/** `newsark check [--config F] [--source ID] [--since 30d] [--limit N] [--json]`: are archived articles still online? */
export const command: Command = async (argv, io) => {
  const { values } = parseCommandArgs(
    "check",
    argv,
    {
      config: { type: "string", short: "c" },
      source: { type: "string", multiple: true },
      since: { type: "string" },
      limit: { type: "string" },
      json: { type: "boolean" },
    },
    false,
  );
  const sinceMs = parseSince(values.since ?? "30d");
  const limit = parseLimit(values.limit ?? "200");
  const config = loadConfig(io.cwd, values.config);
  const ids = (values.source ?? []).flatMap((s) => s.split(",")).filter(Boolean);
  for (const id of ids) {
    if (!config.sources.some((s) => s.id === id)) {
      throw new NewsarkError(
        "usage",
        checkMessages.noSource(
          id,
          config.sources.map((s) => s.id),
        ),
      );
    }
  }
  const report = await checkArchive(config, { sourceIds: ids, sinceMs, limit });
  if (values.json) {
    const { results, ...counts } = report;
    const list = results.map((r) => ({
      article: `${r.source}/${r.n}`,
      url: r.url,
      outcome: r.outcome,
      ...(r.location ? { location: r.location } : {}),
      ...(r.error ? { error: r.error } : {}),
    }));
    io.stdout(`${JSON.stringify({ ...counts, results: list })}\n`);
    return 0;
  }
  for (const r of report.results) {
    if (r.outcome === "alive") continue;
    const detail =
      r.outcome === "redirected" ? ` → ${r.location}` : r.outcome === "failed" ? `: ${r.error}` : "";
    io.stdout(`${r.source}/${r.n} ${r.outcome}${r.outcome === "failed" ? "" : ` ${r.url}`}${detail}\n`);
  }
  for (const w of report.warnings) io.stdout(`${w}\n`);
  io.stdout(`${summaryLine(report)}\n`);
  return 0;
};
