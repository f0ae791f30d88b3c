export { createFetcher, type FetcherOptions } from "./fetcher.js";
export type { Resolver } from "./lookup.js";
export { createAddressPolicy, parseCidr } from "./network-policy.js";
export type {
  FetchErrorKind,
  Fetcher,
  FetchRequest,
  FetchResult,
  FetchSettings,
  NetworkPolicy,
} from "./types.js";
