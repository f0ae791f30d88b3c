// INFO: VOA's feeds and many mirrors serve images through images.weserv.nl (`?url=gdb.voanews.com/…`, often
// without a scheme, or with weserv's `ssl:` prefix); blocked readers use such proxies, so both forms appear.
const PROXY_HOSTS = /(^|\.)(images\.weserv\.nl|wsrv\.nl)$/i;

/** Turns a proxy's `url` parameter into an absolute URL: adds https to bare hosts, reads weserv's `ssl:`. */
function absoluteTarget(value: string): string | undefined {
  let v = value.trim();
  if (v.startsWith("ssl:")) v = `https://${v.slice(4)}`;
  else if (v.startsWith("//")) v = `https:${v}`;
  else if (!/^https?:\/\//i.test(v)) v = `https://${v}`;
  try {
    const url = new URL(v);
    return url.hostname.includes(".") ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The original image behind an image-proxy URL (`https://images.weserv.nl/?url=…`, or any `/?url=…` proxy),
 * or undefined when the URL is not one.
 *
 * @example
 * unwrapProxy("https://images.weserv.nl/?url=gdb.voanews.com/a.jpg") // "https://gdb.voanews.com/a.jpg"
 */
export function unwrapProxy(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const target = parsed.searchParams.get("url");
  if (!target) return undefined;
  if (!PROXY_HOSTS.test(parsed.hostname) && parsed.pathname !== "/") return undefined;
  const inner = absoluteTarget(target);
  return inner && inner !== url ? inner : undefined;
}
