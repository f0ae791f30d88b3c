import type { MediaSettings, PublishSettings } from "../store/media/types.js";

/** A configured outlet: where its feed is and how its articles are archived. */
export interface Source {
  /** Short ASCII id; the folder name under articles/ (e.g. "voa"). */
  id: string;
  /** Display name; the list file is lists/<name>.md (e.g. "美国之音"). */
  name: string;
  /** http(s) URL, file: URL or a path relative to the archive. */
  url: string;
  /** How to get full text when the feed has a summary only. */
  fulltext?: "readability" | { selector: string } | undefined;
  /** keep: image links stay links; archive: images are downloaded into the archive. */
  images: "keep" | "archive";
  /** Items whose categories match `include` (if set) and not `exclude` are archived. */
  include?: { categories: RegExp } | undefined;
  exclude?: { categories: RegExp } | undefined;
}

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
  /** Where archived images are stored (`media:`); the archive's images/ when absent. */
  media?: MediaSettings | undefined;
  /** Where `newsark publish` uploads the site (`publish:`). */
  publish?: PublishSettings | undefined;
}
