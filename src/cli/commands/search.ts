import { loadConfig } from "../../config/index.js";
import { NewsarkError } from "../../model/errors.js";
import { openCatalog } from "../../search/catalog.js";
import { archivedSourceIds, searchArchive } from "../../search/index.js";
import type { SearchHit } from "../../store/catalog.js";
import { type Command, parseCommandArgs } from "../io.js";
import { commandRebuild } from "./catalog-progress.js";

/** Offset of `timeZone` from UTC at instant `ms`, in ms. */
function zoneOffset(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) - ms;
}

/**
 * Reads --since/--until: YYYY-MM-DD is a day in the archive's time zone (the zone its lists use);
 * anything else must be an ISO date-time. `endOfDay` makes a plain day include all of itself.
 */
export function parseDateOption(option: string, value: string, timeZone: string, endOfDay: boolean): number {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) {
    const utc = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + (endOfDay ? 1 : 0));
    const check = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    if (check.getUTCMonth() === Number(day[2]) - 1 && check.getUTCDate() === Number(day[3])) {
      // Two passes settle the offset across a DST change.
      let ms = utc - zoneOffset(utc, timeZone);
      ms = utc - zoneOffset(ms, timeZone);
      return ms;
    }
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  throw new NewsarkError("usage", `search: --${option}: '${value}' is not a date (YYYY-MM-DD)`);
}

function dayOf(iso: string, timeZone: string): string {
  if (iso === "") return "no date";
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(iso));
}

function formatHit(hit: SearchHit, index: number, timeZone: string, tty: boolean): string {
  const snippet = tty ? hit.snippet.replace(/【/g, "\x1b[1m").replace(/】/g, "\x1b[22m") : hit.snippet;
  const title = tty ? `\x1b[1m${hit.title}\x1b[22m` : hit.title;
  return `${index}. ${title}\n   ${hit.source}/${hit.n} · ${dayOf(hit.published, timeZone)} · ${hit.url}\n   ${snippet}\n`;
}

/** newsark search QUERY [--config F] [--source ID] [--since DATE] [--until DATE] [--limit N] [--json] */
export const command: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("search", argv, {
    config: { type: "string" },
    source: { type: "string" },
    since: { type: "string" },
    until: { type: "string" },
    limit: { type: "string" },
    json: { type: "boolean" },
  });
  const text = positionals.join(" ").trim();
  if (text === "") throw new NewsarkError("usage", "search: missing QUERY (e.g. newsark search 台湾)");
  let limit = 20;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!/^\d+$/.test(values.limit) || limit < 1) {
      throw new NewsarkError("usage", `search: --limit: '${values.limit}' is not a positive whole number`);
    }
  }
  const config = loadConfig(io.cwd, values.config);
  const since =
    values.since === undefined ? undefined : parseDateOption("since", values.since, config.timezone, false);
  const until =
    values.until === undefined ? undefined : parseDateOption("until", values.until, config.timezone, true);
  if (values.source !== undefined) {
    // Configured sources and the folders of legacy ones no longer in newsark.yaml.
    const known = [...new Set([...config.sources.map((s) => s.id), ...archivedSourceIds(config.root)])];
    if (!known.includes(values.source)) {
      throw new NewsarkError(
        "usage",
        `search: --source: unknown source '${values.source}' (known: ${known.join(", ") || "none"})`,
      );
    }
  }
  const rebuild = commandRebuild(io, "search catalog");
  let response: Awaited<ReturnType<typeof searchArchive>>;
  try {
    response = await searchArchive(
      config.root,
      openCatalog(config),
      { text, source: values.source, since, until, limit },
      {
        ...rebuild,
        onRebuild: (articles) => {
          rebuild.expect(articles);
          io.stderr(
            `search: building the search catalog from ${articles.toLocaleString("en")} article files first (once; Ctrl-C stops it, the next search resumes)\n`,
          );
        },
      },
    );
  } finally {
    rebuild.dispose();
  }

  if (values.json) {
    const results = response.results.map(({ source, n, title, url, published, snippet }) => ({
      source,
      n,
      title,
      url,
      published,
      snippet,
    }));
    io.stdout(`${JSON.stringify({ results, total: response.total }, null, 2)}\n`);
    return 0;
  }
  if (response.total === 0) {
    io.stdout(`No articles match ${text}.\n`);
    return 0;
  }
  const shown = response.results.length;
  const head =
    shown < response.total
      ? `${response.total} articles match ${text}; the best ${shown}:`
      : `${response.total} articles match ${text}:`;
  const lines = response.results.map((hit, i) => formatHit(hit, i + 1, config.timezone, io.isTTY));
  io.stdout(`${head}\n\n${lines.join("\n")}`);
  return 0;
};
