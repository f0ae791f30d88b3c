const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * Makes `href` absolute against `base`. Absolute links come back as written (trimmed), so a link
 * with Chinese characters is not re-encoded; undefined when it is relative and there is no base.
 */
export function resolveUrl(href: string, base: string | undefined): string | undefined {
  const value = href.trim();
  if (ABSOLUTE.test(value)) return value;
  if (!base) return undefined;
  try {
    return new URL(value, base).href;
  } catch {
    return undefined;
  }
}

/** True for a value that can serve as a base URL. */
export function isAbsoluteUrl(value: string | undefined): value is string {
  return value !== undefined && ABSOLUTE.test(value.trim());
}
