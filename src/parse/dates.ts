const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

// Zone names seen in feeds, in minutes east of UTC. INFO: "CST" follows RFC 822 (US Central,
// -0600) as feed readers do, although some Chinese feeds mean China Standard Time by it.
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  wet: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  ast: -240,
  adt: -180,
  nst: -210,
  ndt: -150,
  bst: 60,
  west: 60,
  cet: 60,
  cest: 120,
  met: 60,
  mest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  ist: 330,
  ict: 420,
  wib: 420,
  hkt: 480,
  sgt: 480,
  awst: 480,
  cct: 480,
  pht: 480,
  jst: 540,
  kst: 540,
  acst: 570,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
};

const ISO =
  /^(\d{4})(?:[-/.]?(\d{1,2})(?:[-/.]?(\d{1,2}))?)?(?:(?:T|\s+)(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?$/i;
// RFC 822/1123 and what feeds make of it: optional weekday, one-digit day, any case, no seconds,
// two-digit years, dashes, numeric or named zones, a trailing "(CST)" comment.
const RFC822 =
  /^(?:[A-Za-z]+\.?,?\s*)?(\d{1,2})(?:st|nd|rd|th)?[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{2,4}),?(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*((?:GMT|UTC|UT)?\s*[+-]\d{1,2}:?\d{2}|[A-Za-z]{1,5})?\s*(?:\([^)]*\))?$/;
const CHINESE =
  /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:(\d{1,2})\s*[:：时]\s*(\d{2})(?:\s*[:：分]\s*(\d{2}))?)?/;

function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === "") return 0;
  const z = zone.replace(/^(?:GMT|UTC|UT)\s*(?=[+-])/i, "");
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(z);
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    return m[1] === "-" ? -minutes : minutes;
  }
  return ZONES[z.toLowerCase()];
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  offset: number,
): string | undefined {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (hour > 24 || minute > 59 || second > 60) return undefined;
  const dayStart = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 31 June over into July; a feed that says so has a bad date.
  if (new Date(dayStart).getUTCDate() !== day) return undefined;
  const ms = dayStart + ((hour * 60 + minute - offset) * 60 + Math.min(second, 59)) * 1000;
  return new Date(ms).toISOString();
}

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 2) return n < 50 ? 2000 + n : 1900 + n;
  return n;
}

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/**
 * Reads a feed date (RFC 822 in its many sloppy forms, ISO 8601/W3CDTF, 2023年8月15日) into an
 * ISO-8601 UTC string; undefined when it cannot be read. Dates without a zone are taken as UTC,
 * except Chinese-style dates, which are written for Beijing time.
 *
 * @example
 * parseDate("tue, 5 aug 2023 9:39 +0800") // "2023-08-05T01:39:00.000Z"
 */
export function parseDate(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim().replace(/\s+/g, " ");
  if (s === "") return undefined;
  let m = ISO.exec(s);
  if (m) {
    const offset = offsetMinutes(m[7]);
    if (offset === undefined) return undefined;
    return build(
      Number(m[1]),
      Number(m[2] ?? 1),
      Number(m[3] ?? 1),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      offset,
    );
  }
  m = RFC822.exec(s);
  if (m) {
    const month = monthIndex(m[2] ?? "");
    const offset = offsetMinutes(m[7]?.trim());
    if (month === 0 || offset === undefined) return undefined;
    return build(
      fullYear(m[3] ?? ""),
      month,
      Number(m[1]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      offset,
    );
  }
  m = CHINESE.exec(s);
  if (m) {
    return build(
      Number(m[1]),
      Number(m[2]),
      Number(m[3]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      480,
    );
  }
  return fallback(s);
}

// Month-first and ctime-style dates ("Aug 15, 2023 9:39 AM", "Tue Aug 15 09:39:04 UTC 2023"):
// V8's parser reads them, but guessing at anything else, so ask for a month name and a year first.
function fallback(s: string): string | undefined {
  const hasMonth = [...s.matchAll(/[A-Za-z]{3,9}/g)].some((w) => monthIndex(w[0]) > 0);
  if (!hasMonth || !/\b\d{4}\b/.test(s)) return undefined;
  const zoned = /\b(?:GMT|UTC|UT|Z)\b|[+-]\d{4}\b/i.test(s);
  const ms = Date.parse(zoned ? s : `${s} UTC`);
  if (Number.isNaN(ms)) return undefined;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1900 && year <= 2200 ? new Date(ms).toISOString() : undefined;
}
