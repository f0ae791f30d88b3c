import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import type { LookupFunction } from "node:net";
import type { AddressPolicy } from "./network-policy.js";

/** Resolves a host name to its addresses; the real one asks the system resolver, tests pass their own. */
export type Resolver = (hostname: string, options: LookupOptions) => Promise<LookupAddress[]>;

/** The system resolver (getaddrinfo, so /etc/hosts counts), as newsark's other tools see it. */
export const systemResolver: Resolver = (hostname, options) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses);
    });
  });

/** The error a guarded lookup fails the connection with when a name resolves only to refused addresses. */
export class ForbiddenAddressError extends Error {
  /** Stable code so the fetcher can tell this refusal from network failures. */
  readonly code = "ENEWSARK_FORBIDDEN";
  constructor(
    /** The first refused address. */
    readonly address: string,
    /** Why it was refused, e.g. "private network". */
    readonly reason: string,
  ) {
    super(`address ${address} is not allowed (${reason})`);
    this.name = "ForbiddenAddressError";
  }
}

/**
 * Makes a `lookup` for sockets that resolves the name and drops addresses the policy refuses, so the check happens at
 * connect time and DNS rebinding cannot slip a private address past an earlier check. Without a policy it only resolves.
 *
 * @example
 * http.request(url, { lookup: createLookup(systemResolver, createAddressPolicy([])) });
 */
export function createLookup(resolver: Resolver, policy?: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolver(hostname, options).then(
      (addresses) => {
        let refused: ForbiddenAddressError | undefined;
        const usable = addresses.filter((entry) => {
          if (!policy) return true;
          const verdict = policy.check(entry.address);
          if (verdict.allowed) return true;
          refused ??= new ForbiddenAddressError(entry.address, verdict.reason);
          return false;
        });
        const first = usable[0];
        if (!first) {
          const err: NodeJS.ErrnoException =
            refused ?? Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
          callback(err, "", 0);
          return;
        }
        // Node asks for all addresses when it races IPv4 against IPv6 (autoSelectFamily), else for one.
        if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, "", 0),
    );
  };
}
