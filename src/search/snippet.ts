/**
 * Snippets: a short piece of an article's plain text around the first match, in the original
 * characters, with every match marked. Pure and browser-safe, like tokenize.ts.
 */
import { foldWithOrigin, type QueryTerm, type Unit, units } from "./tokenize.js";

/** A snippet for the terminal (【match】) and for HTML (<mark>match</mark>, text escaped). */
export interface Snippet {
  text: string;
  html: string;
}

/** How many characters a snippet shows, and how many of them come before the first match. */
const WIDTH = 80;
const BEFORE = 20;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text folded into units, with where each folded UTF-16 unit came from in the original. */
interface Scanned {
  origin: number[];
  units: Unit[];
}

function scan(text: string): Scanned {
  const { folded, origin } = foldWithOrigin(text);
  return { origin, units: units(folded) };
}

/** Ranges [start, end) of the original text where a query term occurs, in text order. */
export function findMatches(text: string, terms: readonly QueryTerm[]): [number, number][] {
  return matchesIn(scan(text), terms);
}

function matchesIn({ origin, units: us }: Scanned, terms: readonly QueryTerm[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const term of terms) {
    const want = term.units;
    if (want.length === 0) continue;
    for (let i = 0; i + want.length <= us.length; i++) {
      let k = 0;
      while (k < want.length && us[i + k]?.text === want[k]) k++;
      if (k < want.length) continue;
      const first = us[i] as { start: number };
      const last = us[i + want.length - 1] as { end: number };
      ranges.push([origin[first.start] as number, origin[last.end] as number]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  // Merge overlaps so marks never nest.
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const top = merged[merged.length - 1];
    if (top && r[0] <= top[1]) top[1] = Math.max(top[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Moves an offset off the low half of a surrogate pair, so a cut never splits a character. */
function snap(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff ? i - 1 : i;
}

/** How far into the text the first look for a match goes; the whole text only when that finds none. */
const PREFIX = 600;

/**
 * About 80 characters of `text` around the first match of any term; the start of the text when
 * nothing matches (a title-only match). The first match usually lies early in an article, so
 * matches are first looked for in the first `prefix` characters only (0: the whole text at once);
 * the snippet is the same either way (tested), and a search folds far less of its 20 texts.
 *
 * @example
 * makeSnippet("国防部长李尚福出访", parseQuery("尚福")).text // "国防部长李【尚福】出访"
 */
export function makeSnippet(text: string, terms: readonly QueryTerm[], prefix = PREFIX): Snippet {
  if (prefix > 0 && text.length > prefix) {
    const scanned = scan(text.slice(0, snap(text, prefix)));
    // The prefix's units are the whole text's, except that its last one may be a word cut short
    // ("putin|ism"). So a match starting before the k-th last unit (k: the most units of a term)
    // is the same in both, and so is everything the snippet shows if it ends before that unit.
    const k = Math.max(1, ...terms.map((t) => t.units.length));
    const edge = scanned.units[scanned.units.length - k];
    const safe = edge ? (scanned.origin[edge.start] as number) : 0;
    const matches = matchesIn(scanned, terms);
    const first = matches[0];
    if (first && first[1] < safe) {
      const window = windowOf(text, first);
      if (window.end <= safe) return render(text, window, matches);
    }
  }
  const matches = findMatches(text, terms);
  return render(text, windowOf(text, matches[0]), matches);
}

/** The part of `text` a snippet shows: WIDTH characters from a little before the first match. */
function windowOf(text: string, first: [number, number] | undefined): { start: number; end: number } {
  let start = first ? Math.max(0, first[0] - BEFORE) : 0;
  let end = Math.min(text.length, start + WIDTH);
  if (end - start < WIDTH) start = Math.max(0, end - WIDTH);
  if (first && first[1] > end) end = first[1];
  return { start: snap(text, start), end: snap(text, end) };
}

/** The snippet of `text` between start and end, matches marked, ellipses where text is cut off. */
function render(
  text: string,
  { start, end }: { start: number; end: number },
  matches: [number, number][],
): Snippet {
  let plain = start > 0 ? "…" : "";
  let html = plain;
  let at = start;
  for (const [s, e] of matches) {
    if (e <= start || s >= end) continue;
    const from = Math.max(s, start);
    const to = Math.min(e, end);
    plain += `${text.slice(at, from)}【${text.slice(from, to)}】`;
    html += `${escapeHtml(text.slice(at, from))}<mark>${escapeHtml(text.slice(from, to))}</mark>`;
    at = to;
  }
  plain += text.slice(at, end);
  html += escapeHtml(text.slice(at, end));
  if (end < text.length) {
    plain += "…";
    html += "…";
  }
  return { text: plain, html };
}
