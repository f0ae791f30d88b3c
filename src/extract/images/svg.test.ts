import * as assert from "node:assert/strict";
import { test } from "node:test";
import { sniffImage } from "./sniff.js";
import { defuseSvg } from "./svg.js";

const attack = `<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY x "boom">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)" width="10">
  <script>alert(2)</script>
  <script type="text/ecmascript"><![CDATA[ alert(3) ]]></script>
  <foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(4)"/></body></foreignObject>
  <a xlink:href="javascript:alert(5)"><rect width="5" height="5" fill="red" onclick="alert(6)"/></a>
  <set attributeName="href" to="javascript:alert(7)"/>
  <animate attributeName="href" values="javascript:alert(8)"/>
  <use href="https://evil.example/x.svg#a"/><use href="#shape"/>
  <style>@import url(https://evil.example/x.css); rect { fill: blue }</style>
  <circle id="shape" cx="5" cy="5" r="4" style="fill: url(https://evil.example/t)"/>
  <text>a &lt; b &amp; c</text>
</svg>`;

test("SVG-01: a defused SVG keeps its drawing and loses scripts, handlers, foreign content, animations and external links", () => {
  const out = defuseSvg(Buffer.from(attack)).toString("utf8");
  for (const bad of [
    "alert",
    "script",
    "onload",
    "onclick",
    "foreignObject",
    "javascript",
    "evil.example",
    "DOCTYPE",
    "ENTITY",
    "<set",
    "<animate",
  ]) {
    assert.ok(!out.includes(bad), `${bad} survived: ${out}`);
  }
  assert.match(out, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(out, /<rect width="5" height="5" fill="red"><\/rect>/, "the drawing inside a link stays");
  assert.match(out, /<use href="#shape"><\/use>/);
  assert.match(out, /<text>a &lt; b &amp; c<\/text>/);
  assert.deepEqual(sniffImage(Buffer.from(out)), { mime: "image/svg+xml", ext: "svg" });
});
