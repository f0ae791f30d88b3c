/**
 * Readers for the fields of newsark.yaml, shared by every section's reader: each refuses a bad value
 * with one line naming the file and the field (`sources[2].imgaes`), and the loader adds the line.
 */
import { NewsarkError } from "../model/errors.js";
import { unknownKey } from "./keys.js";

/** A mapping as YAML gives it, before validation. */
export type Raw = Record<string, unknown>;

/** A config error that still knows its field, so the loader can add the line it is on. */
export class FieldError extends NewsarkError {
  constructor(
    file: string,
    readonly field: string,
    readonly why: string,
  ) {
    super("config", `${file}: ${field}: ${why}`);
  }
}

/** Refuses the value at `field` (e.g. `sources[2].url`) of `file`, saying why; the loader adds the line. */
export function fail(file: string, field: string, why: string): never {
  throw new FieldError(file, field, why);
}

/** Refuses a key `known` does not list, naming it by its full path and suggesting the likely one. */
export function onlyKnownKeys(file: string, at: string, value: Raw, known: readonly string[]): void {
  const unknown = unknownKey(value, known);
  if (!unknown) return;
  const field = at ? `${at}.${unknown.key}` : unknown.key;
  const hint = unknown.suggestion
    ? ` (did you mean '${unknown.suggestion}'?)`
    : ` (known: ${known.join(", ")})`;
  fail(file, field, `unknown key${hint}`);
}

/** The mapping at `field`, checked for unknown keys; {} when absent. */
export function section(file: string, field: string, value: unknown, known: readonly string[]): Raw {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) fail(file, field, `expected a mapping with ${known.join(", ")}`);
  onlyKnownKeys(file, field, value, known);
  return value;
}

/** True for a YAML mapping (not a list, not null). */
export function isObject(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads "10s", "500ms", "2m" or a number of milliseconds. */
export function duration(file: string, field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && value > 0) return value;
  const m = typeof value === "string" ? /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(value.trim()) : null;
  if (!m) fail(file, field, `'${String(value)}' is not a duration (e.g. 10s, 500ms)`);
  const unit = m[2] === "m" ? 60_000 : m[2] === "ms" ? 1 : 1000;
  return Math.round(Number(m[1]) * unit);
}

/** Reads "20MB", "512KB" or a number of bytes. */
export function size(file: string, field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && value > 0) return value;
  const m = typeof value === "string" ? /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(value.trim()) : null;
  if (!m) fail(file, field, `'${String(value)}' is not a size (e.g. 20MB)`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? "b").toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

/** Reads a whole number of at least 0. */
export function positiveInt(file: string, field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    fail(file, field, `'${String(value)}' is not a whole number`);
  }
  return value;
}
