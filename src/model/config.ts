import type { SiteSettings } from "../config/site.js";
import type { MediaSettings, PublishSettings } from "../store/media/types.js";
import type { Source } from "./source.js";

/** Settings for fetching; all times in milliseconds. */
export interface FetchSettings {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  retries: number;
  concurrency: number;
  perHostConcurrency: number;
  userAgent: string;
}

/** The whole of newsark.yaml, validated. */
export interface Config {
  /** Absolute path of the archive folder (the folder holding newsark.yaml). */
  root: string;
  /** IANA time zone for list dates, e.g. "Asia/Shanghai". */
  timezone: string;
  /** How many entries lists/<name>.md holds before paging into lists/<name>/2.md, … */
  listSize: number;
  sources: Source[];
  fetch: FetchSettings;
  /** CIDR networks that URLs taken from feed content may reach (besides public addresses). */
  allowNetworks: string[];
  /** Max images downloaded per run, over all sources. */
  maxImagesPerRun: number;
  /** Max bytes per image. */
  maxImageBytes: number;
  /** Problems in newsark.yaml that do not stop a run (e.g. ids that differ only in case), for the run report. */
  warnings?: string[];
  /** Where archived images are stored (`media:`); the archive's images/ when absent. */
  media?: MediaSettings | undefined;
  /** Where `newsark publish` uploads the site (`publish:`). */
  publish?: PublishSettings | undefined;
  /** Which search catalog the archive uses (`catalog: { kind }`); SQLite under .newsark/ when absent. */
  catalog?: { kind: string } | undefined;
  /** What `newsark build` keeps to (`site:`): a size cap, where left-out articles link. */
  site?: SiteSettings | undefined;
}
