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

export type { Config, FetchSettings } from "./config.js";
