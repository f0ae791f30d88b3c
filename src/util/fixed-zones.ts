/**
 * Zones whose UTC offset has not changed since a date, so newsark can format their dates with plain
 * arithmetic: creating the first Intl.DateTimeFormat of a process loads ICU's zone data (10–20 ms),
 * a noticeable part of an hourly run. Dates before `since`, and all other zones, go through Intl.
 */
const FIXED: Record<string, { offsetMs: number; since: number }> = {
  // China dropped daylight saving after 1991.
  "Asia/Shanghai": { offsetMs: 8 * 3_600_000, since: Date.UTC(1991, 8, 16) },
  "Asia/Chongqing": { offsetMs: 8 * 3_600_000, since: Date.UTC(1991, 8, 16) },
  "Asia/Hong_Kong": { offsetMs: 8 * 3_600_000, since: Date.UTC(1980, 0, 1) },
  "Asia/Macau": { offsetMs: 8 * 3_600_000, since: Date.UTC(1980, 0, 1) },
  "Asia/Taipei": { offsetMs: 8 * 3_600_000, since: Date.UTC(1980, 0, 1) },
  "Asia/Singapore": { offsetMs: 8 * 3_600_000, since: Date.UTC(1982, 0, 1) },
  "Asia/Tokyo": { offsetMs: 9 * 3_600_000, since: Date.UTC(1952, 0, 1) },
  UTC: { offsetMs: 0, since: Number.NEGATIVE_INFINITY },
  "Etc/UTC": { offsetMs: 0, since: Number.NEGATIVE_INFINITY },
};

/** The zone's fixed offset at `ms`, or undefined when Intl must be asked. */
export function fixedOffset(timeZone: string, ms: number): number | undefined {
  const zone = FIXED[timeZone];
  return zone && ms >= zone.since ? zone.offsetMs : undefined;
}

/** True for zones newsark knows without asking Intl. */
export function isKnownFixedZone(timeZone: string): boolean {
  return timeZone in FIXED;
}
