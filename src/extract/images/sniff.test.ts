import * as assert from "node:assert/strict";
import { test } from "node:test";
import { describeNonImage, sniffImage } from "./sniff.js";

const cases: [string, Buffer, string | undefined][] = [
  ["jpeg", Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), "jpg"],
  ["png", Buffer.from("\x89PNG\r\n\x1a\n\0\0", "latin1"), "png"],
  ["gif89a", Buffer.from("GIF89a\x01\0", "latin1"), "gif"],
  ["webp", Buffer.from("RIFF\x24\0\0\0WEBPVP8 ", "latin1"), "webp"],
  ["avif major brand", Buffer.from("\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf", "latin1"), "avif"],
  ["avif compatible brand", Buffer.from("\0\0\0\x1cftypmif1\0\0\0\0mif1avifmiaf", "latin1"), "avif"],
  ["heic is not avif", Buffer.from("\0\0\0\x18ftypheic\0\0\0\0mif1heic", "latin1"), undefined],
  [
    "svg with prolog and comment",
    Buffer.from('<?xml version="1.0"?>\n<!-- x -->\n<svg xmlns="http://www.w3.org/2000/svg"/>'),
    "svg",
  ],
  ["html error page", Buffer.from("<!DOCTYPE html><html><body>404</body></html>"), undefined],
  ["json", Buffer.from('{"error":"not found"}'), undefined],
  ["empty", Buffer.alloc(0), undefined],
];

test("IMG-S01: images are recognised by magic numbers, never by what the server claims", () => {
  for (const [name, bytes, ext] of cases) assert.equal(sniffImage(bytes)?.ext, ext, name);
});

test("IMG-S02: non-images are described for the manifest", () => {
  assert.equal(describeNonImage(Buffer.from("<!doctype html><p>"), "image/jpeg"), "an HTML page");
  assert.equal(
    describeNonImage(Buffer.from("xx"), "application/json; charset=utf-8"),
    "Content-Type application/json",
  );
});
