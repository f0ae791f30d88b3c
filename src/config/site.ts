import { fail, type Raw, section, size } from "./fields.js";

/** The `site:` section of newsark.yaml, as `newsark build` uses it. */
export interface SiteSettings {
  /** Largest size of the built site in bytes; older article pages are left out to stay under it. */
  maxBytes?: number | undefined;
  /**
   * Where the archive's files are browsable, e.g. `https://github.com/OWNER/REPO/blob/main/`: an
   * article left out of the site links to `<repoUrl>articles/<id>/<n>.md`, else to its original URL.
   */
  repoUrl?: string | undefined;
}

const SITE_KEYS = ["maxBytes", "repoUrl"] as const;

/**
 * Reads `site: { maxBytes, repoUrl }`; unknown keys are refused by name. Empty when absent.
 *
 * @example
 * siteConfig("newsark.yaml", { site: { maxBytes: "900MB" } }) // { site: { maxBytes: 943718400 } }
 */
export function siteConfig(file: string, raw: Raw): { site?: SiteSettings } {
  if (raw.site === undefined || raw.site === null) return {};
  const s = section(file, "site", raw.site, SITE_KEYS);
  const settings: SiteSettings = {};
  if (s.maxBytes !== undefined) settings.maxBytes = size(file, "site.maxBytes", s.maxBytes, 0);
  if (s.repoUrl !== undefined) {
    const url = typeof s.repoUrl === "string" ? s.repoUrl.trim() : "";
    if (!/^https?:\/\/[^/\s]+/i.test(url))
      fail(file, "site.repoUrl", `'${String(s.repoUrl)}' is not an http(s) URL`);
    // The article path is appended to it, so it ends with a slash.
    settings.repoUrl = url.endsWith("/") ? url : `${url}/`;
  }
  return { site: settings };
}
