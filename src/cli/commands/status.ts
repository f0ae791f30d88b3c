import { loadConfig } from "../../config/index.js";
import { type ArchiveStatus, archiveStatus } from "../../status/index.js";
import { type Command, parseCommandArgs } from "../io.js";

const size = (n: number) =>
  n >= 1024 ** 3
    ? `${(n / 1024 ** 3).toFixed(2)} GB`
    : n >= 1024 ** 2
      ? `${(n / 1024 ** 2).toFixed(1)} MB`
      : `${(n / 1024).toFixed(1)} KB`;

/** "1 version", "2 versions". */
const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

function text(s: ArchiveStatus, now: number): string {
  const lines: string[] = [];
  for (const src of s.sources) {
    const newest =
      src.newest === undefined ? "nothing yet" : `newest ${Math.round((now - src.newest) / 3_600_000)} h ago`;
    const usual = src.usualGapHours === undefined ? "" : `, usually every ${src.usualGapHours} h`;
    lines.push(
      `${src.id}: ${counted(src.articles, "article")}, ${counted(src.versions, "version")}, ${newest}${usual}${src.quiet ? "  QUIET: much longer than usual" : ""}`,
    );
  }
  const b = s.bytes;
  lines.push(
    `archive: ${size(b.total)} (articles ${size(b.articles)}, versions ${size(b.versions)}, images ${size(b.images)}, state ${size(b.state)}, lists ${size(b.lists)})`,
  );
  const m = s.media;
  lines.push(
    m.error
      ? `media store (${m.store}): ${m.error}`
      : `media store (${m.store}): ${m.objects ?? 0} objects, ${size(m.bytes ?? 0)}`,
  );
  const g = s.growth;
  const days = (d: number | undefined) => (d === undefined ? "never at this rate" : `in ${d} days`);
  lines.push(
    `growth: ${size(g.bytesPerDay)} a day over the last 30 days; passes 1 GB ${days(g.daysTo1GB)}, 5 GB ${days(g.daysTo5GB)}`,
  );
  return `${lines.join("\n")}\n`;
}

/** `newsark status [--config F] [--json]`: sources, sizes, the media store and growth at a glance. */
export const command: Command = async (argv, io) => {
  const { values } = parseCommandArgs(
    "status",
    argv,
    { config: { type: "string", short: "c" }, json: { type: "boolean" } },
    false,
  );
  const config = loadConfig(io.cwd, values.config);
  const now = Date.now();
  const status = await archiveStatus(config, { now, listMedia: true });
  io.stdout(values.json ? `${JSON.stringify(status)}\n` : text(status, now));
  return 0;
};
