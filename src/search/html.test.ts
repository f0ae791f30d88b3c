import * as assert from "node:assert/strict";
import { test } from "node:test";
import { htmlToText } from "./html.js";

test("H01: tags, attributes, scripts and styles are dropped; entities decoded", () => {
  const html =
    '<div><small style="color: #999;">说明</small></div><p style="text-align:start">台湾&amp;香港&nbsp;A&quot;B</p>' +
    "<script>var x = 1;</script><style>p{color:red}</style><img src=x.jpg alt=图片>";
  assert.equal(htmlToText(html), '说明 台湾&香港\u00a0A"B'.replace("\u00a0", " "));
});

test("H02: blocks are separated, inline elements are not", () => {
  assert.equal(htmlToText("<p>台湾</p><p>关系</p>"), "台湾 关系");
  assert.equal(htmlToText("<span>台</span><b>湾</b>"), "台湾");
  assert.equal(htmlToText("台湾<br/>关系"), "台湾 关系");
});
