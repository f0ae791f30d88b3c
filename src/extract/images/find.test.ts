import * as assert from "node:assert/strict";
import { test } from "node:test";
import { findImageUrls } from "./find.js";

const base = "https://www.dw.com/zh/article/a-1";

test("IMG-F01: img src, lazy data-src, srcset and picture sources are found, resolved and deduplicated", () => {
  const html =
    '<p><img src="/a.jpg"><img src="/a.jpg" alt="again"></p>' +
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/lazy.jpg">' +
    '<img src="/static/blank.gif" data-original="https://cdn.test/real.png">' +
    '<img srcset="/s-320.jpg 320w, /s-1200.jpg 1200w">' +
    '<picture><source srcset="/p.webp 1x, /p@2x.webp 2x" type="image/webp"><img src="/p.jpg"></picture>' +
    '<video><source src="/clip.mp4"></video>' +
    '<img src="https://images.weserv.nl/?url=gdb.voanews.com/x.jpg&amp;w=800">';
  assert.deepEqual(findImageUrls(html, base), [
    "https://www.dw.com/a.jpg",
    "https://www.dw.com/lazy.jpg",
    "https://cdn.test/real.png",
    "https://www.dw.com/s-1200.jpg",
    "https://www.dw.com/p@2x.webp",
    "https://www.dw.com/p.jpg",
    "https://images.weserv.nl/?url=gdb.voanews.com/x.jpg&w=800",
  ]);
});

test("IMG-F02: non-web schemes are kept (to be refused by the fetcher), data: images are skipped", () => {
  const html =
    '<img src="file:///etc/passwd"><img src="javascript:alert(1)"><img src="data:image/png;base64,iVBO">';
  assert.deepEqual(findImageUrls(html, base), ["file:///etc/passwd", "javascript:alert(1)"]);
});
