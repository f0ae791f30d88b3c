import { loadConfig } from "../../config/index.js";
import {
  type ArticleHistory,
  diffVersions,
  historyJson,
  loadHistory,
  parseRange,
  renderDiff,
} from "../../history/index.js";
import { historyMessages } from "../../history/messages.js";
import { NewsarkError } from "../../model/errors.js";
import { type Command, parseCommandArgs } from "../io.js";

const STATUS_TEXT = {
  alive: "online",
  gone: "deleted at the source (原文已删除)",
  redirected: "moved away at the source (原文已移走)",
  unknown: "not checked yet (run 'newsark check')",
} as const;

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : "unknown time";
}

function summary(history: ArticleHistory): string {
  const current = history.versions[history.versions.length - 1];
  const lines = [
    `${history.sourceId}/${history.n} ${current?.article.title ?? ""}`,
    current?.article.url ?? "",
    `status: ${STATUS_TEXT[history.status]}${history.checked !== undefined ? ` (checked ${iso(history.checked)})` : ""}`,
    `versions: ${history.versions.length}`,
  ];
  history.versions.forEach((v, i) => {
    const mark = i === history.versions.length - 1 ? " (current)" : "";
    lines.push(`  ${i + 1}  ${iso(v.seen)}  ${v.hash}  ${v.article.title}${mark}`);
  });
  return `${lines.join("\n")}\n`;
}

/** `newsark history SOURCE/N [--config F] [--diff A..B] [--json]`: the versions of an article and what changed. */
export const command: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("history", argv, {
    config: { type: "string", short: "c" },
    diff: { type: "string" },
    json: { type: "boolean" },
  });
  const [ref, ...extra] = positionals;
  if (ref === undefined || extra.length > 0) {
    throw new NewsarkError("usage", "history: expected one article, e.g. 'newsark history voa/1048574'");
  }
  const config = loadConfig(io.cwd, values.config);
  const history = loadHistory(config, ref);
  const count = history.versions.length;
  // A bad --diff is refused before anything is printed, so the error is the whole output.
  if (count < 2 && values.diff !== undefined) {
    throw new NewsarkError("usage", historyMessages.oneVersion(ref));
  }
  const range = count >= 2 || values.diff !== undefined ? parseRange(values.diff, count) : undefined;
  if (values.json) {
    // The diff is in the JSON only when asked for, so listing versions stays cheap.
    io.stdout(`${JSON.stringify(historyJson(history, values.diff === undefined ? undefined : range))}\n`);
    return 0;
  }
  io.stdout(summary(history));
  if (range === undefined) return 0;
  const [a, b] = range;
  io.stdout(`\ndiff ${a}..${b}:\n${renderDiff(diffVersions(history, a, b), io.isTTY)}\n`);
  return 0;
};
