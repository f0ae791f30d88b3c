import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { parseCidr } from "../fetch/network-policy.js";
import { NewsarkError } from "../model/errors.js";
import type { Config, FetchSettings, Source } from "../model/source.js";
import { CATALOG_KINDS } from "../search/catalog-kinds.js";
import { writeFileAtomic } from "../util/atomic.js";
import { isKnownFixedZone } from "../util/fixed-zones.js";
import { readFileOr } from "../util/read.js";
import { VERSION } from "../version.js";
import { defaultFetchSettings } from "./defaults.js";
import { duration, FieldError, fail, isObject, onlyKnownKeys, positiveInt, section, size } from "./fields.js";
import {
  CATALOG_KEYS,
  FETCH_KEYS,
  FILTER_KEYS,
  FULLTEXT_KEYS,
  IMAGES_KEYS,
  SOURCE_KEYS,
  TIMEOUT_KEYS,
  TOP_LEVEL_KEYS,
} from "./keys.js";
import { lineOfField } from "./locate.js";
import { mediaConfig } from "./media.js";
import { findClashes, idProblem, nameProblem } from "./names.js";
import { siteConfig } from "./site.js";

function regex(file: string, field: string, value: unknown): { categories: RegExp } | undefined {
  if (value === undefined) return undefined;
  if (isObject(value)) onlyKnownKeys(file, field, value, FILTER_KEYS);
  const pattern = isObject(value) ? value.categories : undefined;
  if (typeof pattern !== "string") fail(file, field, "expected { categories: REGEX }");
  try {
    return { categories: new RegExp(pattern, "iu") };
  } catch {
    fail(file, `${field}.categories`, `'${pattern}' is not a valid regular expression`);
  }
}

function readSource(file: string, raw: unknown, index: number): Source {
  const at = `sources[${index}]`;
  if (!isObject(raw)) fail(file, at, "expected a mapping with id, name and url");
  onlyKnownKeys(file, at, raw, SOURCE_KEYS);
  const { id, name, url } = raw;
  const badId = idProblem(id);
  if (badId || typeof id !== "string") fail(file, `${at}.id`, badId ?? "missing");
  const badName = nameProblem(name);
  if (badName || typeof name !== "string") fail(file, `${at}.name`, badName ?? "missing");
  if (typeof url !== "string" || url.trim() === "") fail(file, `${at}.url`, "missing feed URL or file path");
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^(https?|file):/i.test(url)) {
    fail(file, `${at}.url`, `'${url}' must be an http(s) URL or a file path`);
  }
  let fulltext: Source["fulltext"];
  if (isObject(raw.fulltext)) onlyKnownKeys(file, `${at}.fulltext`, raw.fulltext, FULLTEXT_KEYS);
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

// A list page holds at least one entry: 0 would page every entry into a file of its own.
function listSize(file: string, value: unknown): number {
  const n = positiveInt(file, "listSize", value, 300);
  if (n < 1) fail(file, "listSize", `'${n}' must be 1 or more`);
  return n;
}

function validCidr(file: string, field: string, value: unknown): string {
  if (typeof value !== "string" || parseCidr(value.trim()) === undefined) {
    fail(file, field, `'${String(value)}' is not a CIDR network such as 127.0.0.0/8`);
  }
  return value.trim();
}

/**
 * Validates parsed YAML into a Config; every problem is one line naming the file and field (with its
 * line when `text`, the file's YAML, is given). Problems that do not stop a run are in `warnings`.
 */
export function configFromObject(raw: unknown, root: string, file = "newsark.yaml", text?: string): Config {
  try {
    return readConfig(raw, root, file);
  } catch (err) {
    if (!(err instanceof FieldError) || text === undefined) throw err;
    const line = lineOfField(text, err.field);
    if (line === undefined) throw err;
    throw new NewsarkError("config", `${file}:${line}: ${err.field}: ${err.why}`);
  }
}

function readConfig(raw: unknown, root: string, file: string): Config {
  if (!isObject(raw)) fail(file, "top level", "expected a mapping with a 'sources' list");
  onlyKnownKeys(file, "", raw, TOP_LEVEL_KEYS);
  if (!Array.isArray(raw.sources) || raw.sources.length === 0)
    fail(file, "sources", "expected a non-empty list");
  const sources = raw.sources.map((s, i) => readSource(file, s, i));
  const clashes = findClashes(sources);
  if (clashes.error) fail(file, clashes.error.field, clashes.error.why);
  const f = section(file, "fetch", raw.fetch, FETCH_KEYS);
  const t = section(file, "fetch.timeout", f.timeout, TIMEOUT_KEYS);
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
  const img = section(file, "images", raw.images, IMAGES_KEYS);
  const catalog = section(file, "catalog", raw.catalog, CATALOG_KEYS);
  if (catalog.kind !== undefined && !(CATALOG_KINDS as readonly unknown[]).includes(catalog.kind)) {
    fail(file, "catalog.kind", `'${String(catalog.kind)}' is not one of ${CATALOG_KINDS.join(", ")}`);
  }
  const allow = raw.allowNetworks ?? [];
  if (!Array.isArray(allow)) fail(file, "allowNetworks", "expected a list of CIDR networks");
  return {
    root,
    timezone: validTimezone(file, raw.timezone),
    listSize: listSize(file, raw.listSize),
    sources,
    fetch,
    allowNetworks: allow.map((a, i) => validCidr(file, `allowNetworks[${i}]`, a)),
    maxImagesPerRun: positiveInt(file, "images.maxPerRun", img.maxPerRun, 500),
    maxImageBytes: size(file, "images.maxBytes", img.maxBytes, 10 * 1024 * 1024),
    warnings: clashes.warnings.map((w) => `${file}: ${w}`),
    ...mediaConfig(file, raw),
    ...siteConfig(file, raw),
    ...(typeof catalog.kind === "string" ? { catalog: { kind: catalog.kind } } : {}),
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
    const config = configFromObject(raw, dirname(file), file, text);
    try {
      const cache: ConfigCache = { version: VERSION, file, mtimeMs: stat.mtimeMs, size: stat.size, raw };
      writeFileAtomic(cachePath(file), JSON.stringify(cache));
    } catch {
      // A read-only archive simply goes without the cache.
    }
    return config;
  }
  return configFromObject(raw, dirname(file), file, text);
}
