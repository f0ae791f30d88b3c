import { NewsarkError } from "../model/errors.js";
import { checkMessages as m } from "./messages.js";

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/**
 * Reads `--since`: a whole number of hours, days or weeks ("12h", "30d", "2w").
 *
 * @example
 * parseSince("30d") // 2592000000
 */
export function parseSince(value: string): number {
  const match = /^\s*(\d+)\s*([hdw])\s*$/i.exec(value);
  if (!match) throw new NewsarkError("usage", m.badSince(value));
  return Number(match[1]) * UNIT_MS[(match[2] as string).toLowerCase() as keyof typeof UNIT_MS];
}

/** Reads `--limit`: a whole number (0 checks nothing). */
export function parseLimit(value: string): number {
  if (!/^\s*\d+\s*$/.test(value)) throw new NewsarkError("usage", m.badLimit(value));
  return Number(value);
}
