/** Gives out request slots: at most `maxTotal` at once, at most `maxPerHost` per host; the rest wait in order. */
export interface Limiter {
  /** Resolves with a release function once a slot is free, or with undefined when the limiter was closed. */
  acquire(host: string): Promise<(() => void) | undefined>;
  /** Slots in use now. */
  readonly active: number;
  /** Ends waiting: every queued and later acquire resolves with undefined. */
  close(): void;
}

interface Waiter {
  host: string;
  grant: (release: (() => void) | undefined) => void;
}

/**
 * Creates a limiter; limits below 1 count as 1 so a bad setting cannot stall every fetch.
 *
 * @example
 * const release = await limiter.acquire("example.com"); try { ... } finally { release?.(); }
 */
export function createLimiter(maxTotal: number, maxPerHost: number): Limiter {
  const total = Math.max(1, Math.floor(maxTotal) || 1);
  const perHostMax = Math.max(1, Math.floor(maxPerHost) || 1);
  const perHost = new Map<string, number>();
  const waiting: Waiter[] = [];
  let active = 0;
  let closed = false;

  const canStart = (host: string) => active < total && (perHost.get(host) ?? 0) < perHostMax;

  const start = (host: string) => {
    active++;
    perHost.set(host, (perHost.get(host) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active--;
      const left = (perHost.get(host) ?? 1) - 1;
      if (left <= 0) perHost.delete(host);
      else perHost.set(host, left);
      pump();
    };
  };

  // Oldest first, but a waiter for a busy host does not block waiters for idle hosts.
  const pump = () => {
    let i = 0;
    while (i < waiting.length && active < total) {
      const waiter = waiting[i] as Waiter;
      if (canStart(waiter.host)) {
        waiting.splice(i, 1);
        waiter.grant(start(waiter.host));
      } else {
        i++;
      }
    }
  };

  return {
    acquire(host) {
      if (closed) return Promise.resolve(undefined);
      // Free capacity here means no waiter could use it (pump runs on every release), so taking it is fair.
      if (canStart(host)) return Promise.resolve(start(host));
      return new Promise((grant) => waiting.push({ host, grant }));
    },
    get active() {
      return active;
    },
    close() {
      closed = true;
      for (const waiter of waiting.splice(0)) waiter.grant(undefined);
    },
  };
}
