import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDate } from "./dates.js";

describe("DATE: parseDate", () => {
  const cases: [string, string, string | undefined][] = [
    ["DATE-10", "Tue, 15 Aug 2023 09:39:04 GMT", "2023-08-15T09:39:04.000Z"],
    ["DATE-11", "Tue, 15 Aug 2023 17:39:04 +0800", "2023-08-15T09:39:04.000Z"],
    ["DATE-12", "Tue, 15 Aug 2023 05:39:04 EDT", "2023-08-15T09:39:04.000Z"],
    ["DATE-13", "Mon, 14 Aug 2023 23:39 PST", "2023-08-15T07:39:00.000Z"],
    ["DATE-14", "5 aug 2023 09:39:04 +0000", "2023-08-05T09:39:04.000Z"],
    ["DATE-15", "Tuesday, 15 August 2023 09:39:04 UT", "2023-08-15T09:39:04.000Z"],
    ["DATE-16", "Tue, 15 Aug 23 09:39:04 GMT", "2023-08-15T09:39:04.000Z"],
    ["DATE-17", "Tue, 15 Aug 2023 09:39:04 GMT+08:00", "2023-08-15T01:39:04.000Z"],
    ["DATE-18", "Tue, 15 Aug 2023 17:39:04 +0800 (CST)", "2023-08-15T09:39:04.000Z"],
    ["DATE-19", "2023-08-15T17:39:04+08:00", "2023-08-15T09:39:04.000Z"],
    ["DATE-20", "2023-08-15T09:39:04.123Z", "2023-08-15T09:39:04.000Z"],
    ["DATE-21", "2023-08-15 09:39:04", "2023-08-15T09:39:04.000Z"],
    ["DATE-22", "2023-08-15", "2023-08-15T00:00:00.000Z"],
    ["DATE-23", "2023/08/15 09:39", "2023-08-15T09:39:00.000Z"],
    ["DATE-24", "20230815T093904Z", "2023-08-15T09:39:04.000Z"],
    ["DATE-25", "2023年8月15日 17:39", "2023-08-15T09:39:00.000Z"],
    ["DATE-26", "Aug 15, 2023 9:39 AM GMT", "2023-08-15T09:39:00.000Z"],
    ["DATE-27", "Tue Aug 15 2023 17:39:04 GMT+0800 (China Standard Time)", "2023-08-15T09:39:04.000Z"],
    ["DATE-28", "  Tue,  15 Aug 2023   09:39:04 GMT ", "2023-08-15T09:39:04.000Z"],
    ["DATE-29", "yesterday", undefined],
    ["DATE-30", "Sat, 31 Jun 2023 10:00:00 GMT", undefined],
    ["DATE-31", "Tue, 15 Foo 2023 09:39:04 GMT", undefined],
    ["DATE-32", "2023-13-01", undefined],
    ["DATE-33", "", undefined],
  ];
  for (const [id, raw, iso] of cases) {
    it(`${id}: ${JSON.stringify(raw)} → ${iso ?? "unreadable"}`, () => assert.equal(parseDate(raw), iso));
  }
});
