import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { parseCidr } from "../fetch/network-policy.js";
import { NewsarkError } from "../model/errors.js";
import type { Config, FetchSettings, Source } from "../model/source.js";
import { writeFileAtomic } from "../util/atomic.js";
import { isKnownFixedZone } from "../util/fixed-zones.js";
import { readFileOr } from "../util/read.js";
import { VERSION } from "../version.js";
import { defaultFetchSettings } from "./defaults.js";
import { mediaConfig } from "./media.js";

/** Names Windows reserves; an id or list name equal to one would make the archive unusable there. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

type Raw = Record<string, unknown>;

function fail(file: string, field: string, why: string): never {
  throw new NewsarkError("config", `${file}: ${field}: ${why}`);
}

function isObject(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads "10s", "500ms", "2m" or a number of milliseconds. */
function duration(file: string, field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && value > 0) return value;
  const m = typeof value === "string" ? /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(value.trim()) : null;
  if (!m) fail(file, field, `'${String(value)}' is not a duration (e.g. 10s, 500ms)`);
  const unit = m[2] === "m" ? 60_000 : m[2] === "ms" ? 1 : 1000;
  return Math.round(Number(m[1]) * unit);
}

/** Reads "20MB", "512KB" or a number of bytes. */
function size(file: string, field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && value > 0) return value;
  const m = typeof value === "string" ? /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(value.trim()) : null;
  if (!m) fail(file, field, `'${String(value)}' is not a size (e.g. 20MB)`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? "b").toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

function positiveInt(file: string, field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    fail(file, field, `'${String(value)}' is not a whole number`);
  }
  return value;
}

function regex(file: string, field: string, value: unknown): { categories: RegExp } | undefined {
  if (value === undefined) return undefined;
  const pattern = isObject(value) ? value.categories : undefined;
  if (typeof pattern !== "string") fail(file, field, "expected { categories: REGEX }");
  try {
    return { categories: new RegExp(pattern, "iu") };
  } catch {
    fail(file, `${field}.categories`, `'${pattern}' is not a valid regular expression`);
  }
}

function readSource(file: string, raw: unknown, index: number, seen: Set<string>): Source {
  const at = `sources[${index}]`;
  if (!isObject(raw)) fail(file, at, "expected a mapping with id, name and url");
  const { id, name, url } = raw;
  if (typeof id !== "string" || !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(id) || WINDOWS_RESERVED.test(id)) {
    fail(file, `${at}.id`, `'${String(id)}' must be 1-64 lowercase ASCII letters, digits, - or _`);
  }
  if (seen.has(id)) fail(file, `${at}.id`, `'${id}' is used twice`);
  seen.add(id);
  if (
    typeof name !== "string" ||
    name.trim() === "" ||
    name.length > 100 ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
    /[\\/<>:"|?*\u0000-\u001f]|^\.|\.$/.test(name) ||
    WINDOWS_RESERVED.test(name)
  ) {
    fail(
      file,
      `${at}.name`,
      `'${String(name)}' must be a short name usable as a file name (no / \\ : * ? " < > |)`,
    );
  }
  if (typeof url !== "string" || url.trim() === "") fail(file, `${at}.url`, "missing feed URL or file path");
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^(https?|file):/i.test(url)) {
    fail(file, `${at}.url`, `'${url}' must be an http(s) URL or a file path`);
  }
  let fulltext: Source["fulltext"];
  if (raw.fulltext === "readability") fulltext = "readability";
  else if (isObject(raw.fulltext) && typeof raw.fulltext.selector === "string") {
    fulltext = { selector: raw.fulltext.selector };
  } else if (raw.fulltext !== undefined && raw.fulltext !== null && raw.fulltext !== false) {
    fail(file, `${at}.fulltext`, "expected 'readability' or { selector: \"CSS selector\" }");
  }
  const images = raw.images ?? "keep";
  if (images !== "keep" && images !== "archive") fail(file, `${at}.images`, "expected 'keep' or 'archive'");
  return {
    id,
    name: name.trim(),
    url: url.trim(),
    fulltext,
    images,
    include: regex(file, `${at}.include`, raw.include),
    exclude: regex(file, `${at}.exclude`, raw.exclude),
  };
}

function validTimezone(file: string, tz: unknown): string {
  if (tz === undefined) return "Asia/Shanghai";
  if (typeof tz !== "string") fail(file, "timezone", "expected an IANA time zone such as Asia/Shanghai");
  if (isKnownFixedZone(tz)) return tz;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
  } catch {
    fail(file, "timezone", `'${tz}' is not a known IANA time zone`);
  }
  return tz;
}

function validCidr(file: string, field: string, value: unknown): string {
  if (typeof value !== "string" || parseCidr(value.trim()) === undefined) {
    fail(file, field, `'${String(value)}' is not a CIDR network such as 127.0.0.0/8`);
  }
  return value.trim();
}

/** Validates parsed YAML into a Config; every problem is one line naming the file and field. */
export function configFromObject(raw: unknown, root: string, file = "newsark.yaml"): Config {
  if (!isObject(raw)) fail(file, "top level", "expected a mapping with a 'sources' list");
  if (!Array.isArray(raw.sources) || raw.sources.length === 0)
    fail(file, "sources", "expected a non-empty list");
  const seen = new Set<string>();
  const sources = raw.sources.map((s, i) => readSource(file, s, i, seen));
  const names = new Set<string>();
  sources.forEach((s, i) => {
    if (names.has(s.name)) fail(file, `sources[${i}].name`, `'${s.name}' is used twice`);
    names.add(s.name);
  });
  const f = isObject(raw.fetch) ? raw.fetch : {};
  const t = isObject(f.timeout) ? f.timeout : {};
  const d = defaultFetchSettings;
  const fetch: FetchSettings = {
    connectTimeoutMs: duration(file, "fetch.timeout.connect", t.connect, d.connectTimeoutMs),
    headersTimeoutMs: duration(file, "fetch.timeout.headers", t.headers, d.headersTimeoutMs),
    bodyTimeoutMs: duration(file, "fetch.timeout.body", t.body, d.bodyTimeoutMs),
    maxBytes: size(file, "fetch.maxBytes", f.maxBytes, d.maxBytes),
    maxRedirects: positiveInt(file, "fetch.maxRedirects", f.maxRedirects, d.maxRedirects),
    retries: positiveInt(file, "fetch.retries", f.retries, d.retries),
    concurrency: Math.max(1, positiveInt(file, "fetch.concurrency", f.concurrency, d.concurrency)),
    perHostConcurrency: Math.max(1, positiveInt(file, "fetch.perHost", f.perHost, d.perHostConcurrency)),
    userAgent: typeof f.userAgent === "string" ? f.userAgent : d.userAgent,
  };
  const img = isObject(raw.images) ? raw.images : {};
  const allow = raw.allowNetworks ?? [];
  if (!Array.isArray(allow)) fail(file, "allowNetworks", "expected a list of CIDR networks");
  return {
    root,
    timezone: validTimezone(file, raw.timezone),
    listSize: Math.max(1, positiveInt(file, "listSize", raw.listSize, 300)),
    sources,
    fetch,
    allowNetworks: allow.map((a, i) => validCidr(file, `allowNetworks[${i}]`, a)),
    maxImagesPerRun: positiveInt(file, "images.maxPerRun", img.maxPerRun, 500),
    maxImageBytes: size(file, "images.maxBytes", img.maxBytes, 10 * 1024 * 1024),
    ...mediaConfig(file, raw),
  };
}

/** The parsed YAML of newsark.yaml, kept in the local cache so hourly runs skip loading a YAML parser. */
interface ConfigCache {
  version: string;
  file: string;
  mtimeMs: number;
  size: number;
  raw: unknown;
}

function cachePath(file: string): string {
  return join(dirname(file), ".newsark", "config.json");
}

function cachedRaw(file: string, mtimeMs: number, size: number): unknown {
  const text = readFileOr(cachePath(file), undefined);
  if (text === undefined) return undefined;
  try {
    const cache = JSON.parse(text) as ConfigCache;
    const fresh =
      cache.version === VERSION && cache.file === file && cache.mtimeMs === mtimeMs && cache.size === size;
    return fresh ? cache.raw : undefined;
  } catch {
    return undefined;
  }
}

// Loaded on demand (synchronously, so loadConfig stays synchronous) only when the cache is stale.
const requireModule = createRequire(import.meta.url);

function parseYamlFile(file: string, text: string): unknown {
  const { load } = requireModule("js-yaml") as typeof import("js-yaml");
  try {
    return load(text);
  } catch (err) {
    // js-yaml counts lines from 0.
    const line = (err as { mark?: { line?: number } }).mark?.line;
    const why =
      (err as { reason?: string }).reason ??
      (err instanceof Error ? err.message.split("\n")[0] : "invalid YAML");
    throw new NewsarkError("config", `${file}${line !== undefined ? `:${line + 1}` : ""}: ${why}`);
  }
}

/**
 * Loads newsark.yaml: `configPath` if given (relative to cwd), else `<cwd>/newsark.yaml`.
 * The archive root is the folder holding the file. The parsed YAML is cached in `.newsark/` (keyed by
 * the file's size and modification time); validation runs every time.
 *
 * @example
 * const config = loadConfig("/srv/news");
 */
export function loadConfig(cwd: string, configPath?: string): Config {
  const file = resolve(cwd, configPath ?? "newsark.yaml");
  let text: string;
  let stat: { mtimeMs: number; size: number };
  try {
    stat = statSync(file);
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint = configPath ? "" : " (run 'newsark init' to create one, or pass --config)";
    throw new NewsarkError("config", `config: cannot read ${file}: ${code ?? "error"}${hint}`);
  }
  let raw = cachedRaw(file, stat.mtimeMs, stat.size);
  if (raw === undefined) {
    raw = parseYamlFile(file, text);
    const config = configFromObject(raw, dirname(file), file);
    try {
      const cache: ConfigCache = { version: VERSION, file, mtimeMs: stat.mtimeMs, size: stat.size, raw };
      writeFileAtomic(cachePath(file), JSON.stringify(cache));
    } catch {
      // A read-only archive simply goes without the cache.
    }
    return config;
  }
  return configFromObject(raw, dirname(file), file);
}
