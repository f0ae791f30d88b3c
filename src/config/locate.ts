/**
 * Finds where a field of newsark.yaml is written, so a config error can name the line. Runs only when
 * there is an error to report: it re-reads the text as YAML events, which carry source offsets.
 */
import { createRequire } from "node:module";

/** A field as config messages name it (`sources[2].images`), split into keys and list positions. */
export function fieldPath(field: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const match of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) path.push(Number(match[2]));
    else if (match[1] !== undefined) path.push(match[1]);
  }
  return path;
}

// Loaded on demand, like the YAML parser itself, so valid configs never pay for it.
const requireModule = createRequire(import.meta.url);

/**
 * The 1-based line of `field` in the YAML `text`: the line of its key, or, when the field is missing,
 * of the nearest enclosing entry that exists. Undefined when the text cannot be read as YAML.
 *
 * @example
 * lineOfField("sources:\n  - id: a\n    imgaes: x\n", "sources[0].imgaes"); // 3
 */
export function lineOfField(text: string, field: string): number | undefined {
  try {
    const yaml = requireModule("js-yaml") as typeof import("js-yaml");
    const events = yaml.parseEvents(text, {});
    const { EVENT_ID } = yaml;
    const startOf = (i: number): number | undefined => {
      const e = events[i];
      if (!e) return undefined;
      if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) return e.start;
      if (e.type === EVENT_ID.SCALAR) return e.valueStart;
      if (e.type === EVENT_ID.ALIAS) return e.anchorStart;
      return undefined;
    };
    // Index just past the node that starts at i.
    const skip = (i: number): number => {
      const e = events[i];
      if (e?.type !== EVENT_ID.MAPPING && e?.type !== EVENT_ID.SEQUENCE) return i + 1;
      let j = i + 1;
      while (j < events.length && events[j]?.type !== EVENT_ID.POP) j = skip(j);
      return j + 1;
    };
    const path = fieldPath(field);
    const documentStart = events.findIndex((e) => e.type === EVENT_ID.DOCUMENT);
    let node = documentStart + 1;
    let offset = startOf(node);
    for (const step of path) {
      const e = events[node];
      let found: { at: number; value: number } | undefined;
      if (e?.type === EVENT_ID.MAPPING && typeof step === "string") {
        for (let j = node + 1; j < events.length && events[j]?.type !== EVENT_ID.POP; ) {
          const key = events[j];
          const value = skip(j);
          if (key?.type === EVENT_ID.SCALAR && yaml.getScalarValue(text, key) === step) {
            found = { at: key.valueStart, value };
            break;
          }
          j = skip(value);
        }
      } else if (e?.type === EVENT_ID.SEQUENCE && typeof step === "number") {
        let j = node + 1;
        for (let n = 0; n < step && j < events.length && events[j]?.type !== EVENT_ID.POP; n++) j = skip(j);
        const at = events[j]?.type === EVENT_ID.POP ? undefined : startOf(j);
        if (at !== undefined) found = { at, value: j };
      }
      if (!found) break;
      offset = found.at;
      node = found.value;
    }
    return offset === undefined ? undefined : lineAt(text, offset);
  } catch {
    return undefined;
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
