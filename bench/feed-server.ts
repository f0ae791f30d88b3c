/**
 * Serves a synthetic corpus on 127.0.0.1 the way feed hosts do: ETag and Last-Modified on every feed,
 * 304 for a matching If-None-Match (or, without one, an If-Modified-Since not older than the feed).
 * `setHour` switches every feed to the next hourly snapshot; bodies are built before the switch so a
 * measured run never waits for the generator.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { feedXml, newestItem, type SyntheticSource, snapshotTime } from "./corpus.js";

interface Served {
  body: Buffer;
  etag: string;
  lastModified: string;
}

/** Requests answered since the last `resetCounts`, to check that runs got the responses meant. */
export interface ServeCounts {
  ok: number;
  notModified: number;
  notFound: number;
}

/** A running feed server. */
export interface FeedServer {
  /** Feed URL of a source. */
  url(source: SyntheticSource): string;
  /** Serves the snapshot of `hour` from now on. */
  setHour(hour: number): void;
  readonly hour: number;
  /** The bodies now served, in source order (for the bare-parse comparison). */
  bodies(): Buffer[];
  counts: ServeCounts;
  resetCounts(): void;
  close(): Promise<void>;
}

/** Starts a server for `sources` at hour 0 on an ephemeral port of 127.0.0.1. */
export async function startFeedServer(sources: SyntheticSource[]): Promise<FeedServer> {
  const itemCache = new Map<string, Map<number, string>>(sources.map((s) => [s.id, new Map()]));
  let served = new Map<string, Served>();
  let hour = 0;
  const counts: ServeCounts = { ok: 0, notModified: 0, notFound: 0 };

  const build = (h: number) => {
    const next = new Map<string, Served>();
    for (const s of sources) {
      const cache = itemCache.get(s.id) as Map<number, string>;
      // Items that rolled off never come back: drop them so 24 hours of snapshots stay small.
      for (const k of cache.keys()) if (k <= newestItem(h) - 50) cache.delete(k);
      const body = Buffer.from(feedXml(s, h, cache));
      const etag = `W/"${createHash("sha1").update(body).digest("hex").slice(0, 20)}"`;
      next.set(`/feeds/${s.id}.xml`, { body, etag, lastModified: new Date(snapshotTime(h)).toUTCString() });
    }
    served = next;
    hour = h;
  };
  build(0);

  const server = createServer((req, res) => {
    const feed = served.get((req.url ?? "/").split("?")[0] as string);
    if (!feed) {
      counts.notFound++;
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const inm = req.headers["if-none-match"];
    const ims = req.headers["if-modified-since"];
    const fresh =
      inm !== undefined
        ? inm.split(",").some((tag) => tag.trim() === feed.etag || tag.trim() === "*")
        : ims !== undefined && Date.parse(ims) >= Date.parse(feed.lastModified);
    const headers = { etag: feed.etag, "last-modified": feed.lastModified, "cache-control": "max-age=0" };
    if (fresh) {
      counts.notModified++;
      res.writeHead(304, headers).end();
      return;
    }
    counts.ok++;
    res
      .writeHead(200, {
        ...headers,
        "content-type": "application/rss+xml; charset=utf-8",
        "content-length": feed.body.length,
      })
      .end(feed.body);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: (s) => `http://127.0.0.1:${port}/feeds/${s.id}.xml`,
    setHour: build,
    get hour() {
      return hour;
    },
    bodies: () => sources.map((s) => (served.get(`/feeds/${s.id}.xml`) as Served).body),
    counts,
    resetCounts() {
      counts.ok = 0;
      counts.notModified = 0;
      counts.notFound = 0;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
