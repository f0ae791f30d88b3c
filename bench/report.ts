/** The bench's figures, their targets, and the table printed for people. */
import type { Stats } from "./measure.js";

/** One target a figure is held to. */
export interface Target {
  /** What is compared: the median wall time, the median peak RSS or the item rate. */
  on: "ms" | "MB" | "items/s";
  limit: number;
  /** True when lower is better (times, memory). */
  atMost: boolean;
  pass?: boolean;
}

/** One line of the table. */
export interface Row {
  id: string;
  label: string;
  /** Wall time, ms. */
  ms?: Stats | undefined;
  /** Peak RSS, MiB. */
  mb?: Stats | undefined;
  /** CPU time (user + system), ms. */
  cpu?: Stats | undefined;
  /** Items per second at the median time. */
  rate?: number | undefined;
  targets: Target[];
  note?: string | undefined;
}

/** Section heading inside the table. */
export interface Heading {
  heading: string;
}

/** Marks each target PASS or MISS from the row's medians. */
export function judge(row: Row): Row {
  for (const t of row.targets) {
    const value = t.on === "ms" ? row.ms?.median : t.on === "MB" ? row.mb?.median : row.rate;
    t.pass =
      value !== undefined && Number.isFinite(value) && (t.atMost ? value <= t.limit : value >= t.limit);
  }
  return row;
}

export const atMostMs = (limit: number): Target => ({ on: "ms", limit, atMost: true });
export const atMostMb = (limit: number): Target => ({ on: "MB", limit, atMost: true });
export const atLeastRate = (limit: number): Target => ({ on: "items/s", limit, atMost: false });

function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return "-";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function fmtMs(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "-";
  return value >= 1000 ? `${fmt(value / 1000, 2)} s` : `${fmt(value, value < 10 ? 1 : 0)} ms`;
}

function targetText(t: Target): string {
  const limit = t.on === "ms" ? fmtMs(t.limit) : t.on === "MB" ? `${fmt(t.limit)} MB` : `${fmt(t.limit)}/s`;
  return `${t.atMost ? "≤" : "≥"} ${limit} ${t.pass ? "PASS" : "MISS"}`;
}

/** Display width: CJK characters take two columns in a terminal. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  return w;
}

function pad(text: string, w: number, right = false): string {
  const fill = " ".repeat(Math.max(0, w - width(text)));
  return right ? fill + text : text + fill;
}

/** Renders rows and headings as an aligned plain-text table. */
export function table(lines: (Row | Heading)[]): string {
  const header = [
    "measurement",
    "median",
    "min–max",
    "n",
    "CPU",
    "peak RSS",
    "items/s",
    "targets (on medians)",
  ];
  const cells = lines.map((line) => {
    if ("heading" in line) return line;
    const range = line.ms ? `${fmtMs(line.ms.min)}–${fmtMs(line.ms.max)}` : "";
    return [
      line.label,
      fmtMs(line.ms?.median),
      range,
      line.ms ? String(line.ms.n) : "",
      line.cpu ? fmtMs(line.cpu.median) : "",
      line.mb ? `${fmt(line.mb.median, 1)} MB` : "",
      line.rate !== undefined ? fmt(line.rate) : "",
      [line.targets.map(targetText).join(", "), line.note ?? ""].filter(Boolean).join("  "),
    ];
  });
  const rows = cells.filter((c): c is string[] => Array.isArray(c));
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const render = (r: string[]) =>
    r
      .map((c, i) => pad(c, widths[i] ?? 0, i >= 1 && i <= 6))
      .join("  ")
      .trimEnd();
  const out = [render(header), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const c of cells) out.push(Array.isArray(c) ? render(c) : `\n${c.heading}`);
  return out.join("\n");
}
