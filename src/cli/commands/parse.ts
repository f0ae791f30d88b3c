import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { defaultFetchSettings } from "../../config/defaults.js";
import { errorMessage, NewsarkError } from "../../model/errors.js";
import type { ParsedFeed } from "../../model/feed.js";
import { parseFeed } from "../../parse/index.js";
import type { ParseHints } from "../../parse/types.js";
import { type CliIO, type Command, parseCommandArgs } from "../io.js";

interface Input {
  body: Buffer;
  hints: ParseHints;
}

async function readInput(target: string): Promise<Input> {
  if (/^https?:\/\//i.test(target)) {
    // Loaded only for URLs, so `newsark parse FILE` does not pay for the HTTP stack.
    const { createFetcher } = await import("../../fetch/index.js");
    const fetcher = createFetcher(defaultFetchSettings, { allowNetworks: [] });
    try {
      const result = await fetcher.fetch({ url: target, trusted: true });
      if (result.status === "error") throw new NewsarkError("fetch", result.error);
      if (result.status !== "ok")
        throw new NewsarkError("fetch", `fetch: ${target}: unexpected HTTP ${result.httpStatus}`);
      return { body: result.body, hints: { contentType: result.contentType, url: result.finalUrl } };
    } finally {
      fetcher.close();
    }
  }
  const path = /^file:/i.test(target) ? fileURLToPath(target) : target;
  try {
    return { body: await readFile(path), hints: {} };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new NewsarkError("parse", `parse: ${target}: cannot read (${code ?? errorMessage(err)})`);
  }
}

/** The `--json` shape: every field present, missing values as null, in a fixed order. */
function toJson(feed: ParsedFeed): unknown {
  const n = <T>(value: T | undefined): T | null => (value === undefined ? null : value);
  return {
    format: feed.format,
    title: n(feed.title),
    link: n(feed.link),
    description: n(feed.description),
    language: n(feed.language),
    updated: n(feed.updated),
    warnings: feed.warnings,
    items: feed.items.map((item) => ({
      id: n(item.id),
      title: n(item.title),
      link: n(item.link),
      published: n(item.published),
      updated: n(item.updated),
      author: n(item.author),
      summary: n(item.summary),
      content: n(item.content),
      categories: item.categories,
      enclosures: item.enclosures.map((e) => ({ url: e.url, type: n(e.type), length: n(e.length) })),
    })),
  };
}

function printSummary(feed: ParsedFeed, io: CliIO): void {
  const lines = [
    `format:   ${feed.format}`,
    `title:    ${feed.title ?? "(none)"}`,
    `link:     ${feed.link ?? "(none)"}`,
    `items:    ${feed.items.length}`,
    `warnings: ${feed.warnings.length}`,
    ...feed.warnings.map((w) => `  - ${w}`),
  ];
  const shown = feed.items.slice(0, 10);
  if (shown.length > 0)
    lines.push(
      "",
      ...shown.map(
        (i) => `  ${i.published?.slice(0, 10) ?? "    -     "}  ${i.title ?? i.link ?? "(untitled)"}`,
      ),
    );
  if (feed.items.length > shown.length) lines.push(`  … and ${feed.items.length - shown.length} more`);
  io.stdout(`${lines.join("\n")}\n`);
}

/** `newsark parse FILE|URL [--json]`: reads one feed and prints what newsark sees in it. */
export const command: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("parse", argv, { json: { type: "boolean" } });
  const target = positionals[0];
  if (target === undefined || positionals.length > 1) {
    throw new NewsarkError("usage", "parse: expected one FILE or URL (see 'newsark parse --help')");
  }
  const { body, hints } = await readInput(target);
  const result = parseFeed(body, hints);
  if (!result.ok)
    throw new NewsarkError("parse", `parse: ${target}: ${result.error.replace(/^parse: /, "")}`);
  if (values.json) io.stdout(`${JSON.stringify(toJson(result.feed), null, 2)}\n`);
  else printSummary(result.feed, io);
  return 0;
};
