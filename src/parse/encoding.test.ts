import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import iconv from "iconv-lite";
import { decodeFeedBytes } from "./encoding.js";

const xml = (enc: string, text: string) =>
  `<?xml version="1.0" encoding="${enc}"?><rss><channel><title>${text}</title></channel></rss>`;

describe("ENC: decodeFeedBytes", () => {
  it("ENC-10: UTF-16LE with BOM", () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(xml("utf-16", "中文"), "utf-16le")]);
    const out = decodeFeedBytes(body);
    assert.equal(out.encoding, "utf-16le");
    assert.ok(out.text.startsWith("<?xml"));
    assert.ok(out.text.includes("中文"));
  });
  it("ENC-11: UTF-16BE without BOM is recognised by its byte pattern", () => {
    const out = decodeFeedBytes(iconv.encode(xml("UTF-16", "中文"), "utf-16be"));
    assert.equal(out.encoding, "utf-16be");
    assert.ok(out.text.includes("中文"));
  });
  it("ENC-12: UTF-32BE with BOM", () => {
    const body = Buffer.concat([
      Buffer.from([0, 0, 0xfe, 0xff]),
      iconv.encode(xml("utf-32", "中文"), "utf-32be"),
    ]);
    assert.ok(decodeFeedBytes(body).text.includes("中文"));
  });
  it("ENC-13: windows-1252 smart quotes", () => {
    const out = decodeFeedBytes(iconv.encode(xml("windows-1252", "\u201cq\u201d \u20ac"), "windows-1252"));
    assert.ok(out.text.includes("\u201cq\u201d \u20ac"));
  });
  it("ENC-14: latin1 is read as windows-1252 (as browsers do)", () => {
    const out = decodeFeedBytes(iconv.encode(xml("iso-8859-1", "caf\u00e9 \u2013"), "windows-1252"));
    assert.equal(out.encoding, "windows-1252");
    assert.ok(out.text.includes("caf\u00e9 \u2013"));
  });
  it("ENC-15: Big5 from the HTTP header", () => {
    const out = decodeFeedBytes(iconv.encode(xml("utf-8", "臺灣"), "big5"), "text/xml; charset=Big5");
    assert.ok(out.text.includes("臺灣"));
  });
  it("ENC-16: GB18030 four-byte characters", () => {
    const out = decodeFeedBytes(iconv.encode(xml("GB18030", "𠀀中"), "gb18030"));
    assert.ok(out.text.includes("𠀀中"));
  });
  it("ENC-17: EUC-KR and Shift_JIS", () => {
    assert.ok(decodeFeedBytes(iconv.encode(xml("euc-kr", "한국어"), "euc-kr")).text.includes("한국어"));
    assert.ok(decodeFeedBytes(iconv.encode(xml("Shift_JIS", "日本語"), "shift_jis")).text.includes("日本語"));
  });
  it("ENC-18: HTML <meta charset> when there is no BOM or header charset", () => {
    const page = iconv.encode('<html><head><meta charset="gbk"><title>中文网页</title></head></html>', "gbk");
    assert.ok(decodeFeedBytes(page).text.includes("中文网页"));
  });
  it("ENC-19: HTML http-equiv Content-Type", () => {
    const page = iconv.encode(
      '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"><title>繁體網頁</title></head></html>',
      "big5",
    );
    assert.ok(decodeFeedBytes(page).text.includes("繁體網頁"));
  });
  it("ENC-20: the header charset overrides <meta charset>", () => {
    const page = Buffer.from('<html><head><meta charset="gbk"><title>中文</title></head></html>');
    const out = decodeFeedBytes(page, "text/html; charset=utf-8");
    assert.equal(out.encoding, "utf-8");
    assert.ok(out.text.includes("中文"));
  });
  it("ENC-21: no declaration at all means UTF-8", () => {
    const out = decodeFeedBytes(Buffer.from("<rss><channel><title>中文</title></channel></rss>"));
    assert.equal(out.encoding, "utf-8");
    assert.deepEqual(out.warnings, []);
  });
  it("ENC-22: an unknown charset name warns and falls back to UTF-8", () => {
    const out = decodeFeedBytes(Buffer.from(xml("x-klingon", "中文")));
    assert.ok(out.text.includes("中文"));
    assert.match(out.warnings.join("\n"), /unknown charset/);
  });
  it("ENC-23: invalid GBK bytes become U+FFFD with a warning", () => {
    const body = Buffer.concat([iconv.encode(xml("gbk", "中"), "gbk"), Buffer.from([0x81, 0x20])]);
    const out = decodeFeedBytes(body);
    assert.ok(out.text.includes("\uFFFD"));
    assert.match(out.warnings.join("\n"), /invalid in gb18030/);
  });
});

describe("ENC-D: charset detection when nothing declared fits", () => {
  it("ENC-30: Big5 bytes under an HTTP charset of utf-8 are detected, with a warning", () => {
    const body = iconv.encode(xml("utf-8", "國防部長繼續訪問俄羅斯，軍事合作關係引起國際社會關注"), "big5");
    const out = decodeFeedBytes(body, "text/xml; charset=utf-8");
    assert.equal(out.encoding, "big5hkscs");
    assert.ok(out.text.includes("國防部長繼續訪問俄羅斯"));
    assert.deepEqual(out.warnings, [
      "parse: declared charset utf-8 does not fit the bytes; read as big5hkscs (detected)",
    ]);
  });
  it("ENC-31: undeclared UTF-8 cut off inside a character stays UTF-8, losing only that character", () => {
    const full = Buffer.from("<rss><channel><title>国防部长继续访问俄罗斯</title></channel></rss>中");
    const out = decodeFeedBytes(full.subarray(0, full.length - 1));
    assert.equal(out.encoding, "utf-8");
    assert.ok(out.text.includes("国防部长继续访问俄罗斯"));
    assert.match(out.warnings.join("\n"), /1 byte sequence invalid in utf-8/);
  });
  it("ENC-32: a lone Latin-1 byte in an undeclared ASCII feed is kept as its character, not U+FFFD", () => {
    const out = decodeFeedBytes(
      iconv.encode("<rss><channel><title>caf\u00e9</title></channel></rss>", "latin1"),
    );
    assert.ok(out.text.includes("caf\u00e9"));
    assert.match(out.warnings.join("\n"), /no charset declared.*\(detected\)/);
  });
  it("ENC-33: the detector is loaded only for bytes that no declaration or UTF-8 reads", () => {
    const script = `
      import { createRequire } from "node:module";
      import iconv from "iconv-lite";
      import { decodeFeedBytes } from "./dist/src/parse/encoding.js";
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes("/chardet/"));
      decodeFeedBytes(Buffer.from("<rss><title>中文</title></rss>"));
      decodeFeedBytes(iconv.encode('<?xml version="1.0" encoding="gbk"?><rss><title>中文</title></rss>', "gbk"));
      const before = loaded();
      decodeFeedBytes(iconv.encode("<rss><title>国防部长继续访问俄罗斯</title></rss>", "gbk"));
      console.log(JSON.stringify([before, loaded()]));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), [false, true]);
  });
});

describe("ENC-L: a Latin-1 label on East Asian bytes", () => {
  it("ENC-34: GBK bytes labelled iso-8859-1 are detected and read as GB18030, with a warning", () => {
    const body = iconv.encode(
      xml("iso-8859-1", "国防部长继续访问俄罗斯，军事合作关系引起国际社会关注"),
      "gbk",
    );
    const out = decodeFeedBytes(body);
    assert.equal(out.encoding, "gb18030");
    assert.ok(out.text.includes("国防部长继续访问俄罗斯"));
    assert.deepEqual(out.warnings, [
      "parse: declared charset iso-8859-1 does not fit the bytes; read as gb18030 (detected)",
    ]);
  });
  it("ENC-35: French and German text labelled iso-8859-1 stays windows-1252", () => {
    for (const text of [
      "Élection présidentielle : les électeurs déçus après des années de crise économique",
      "Größere Übung – Bürger äußern Ärger über die Straßenbahn",
    ]) {
      const out = decodeFeedBytes(iconv.encode(xml("iso-8859-1", text), "windows-1252"));
      assert.equal(out.encoding, "windows-1252");
      assert.ok(out.text.includes(text));
      assert.deepEqual(out.warnings, []);
    }
  });
});

describe("ENC-W: warnings for labels that are set aside", () => {
  it("ENC-36: a UTF-16 label on 8-bit bytes is ignored with a warning, and the bytes read as UTF-8", () => {
    const out = decodeFeedBytes(Buffer.from(xml("utf-16", "中文")));
    assert.equal(out.encoding, "utf-8");
    assert.ok(out.text.includes("中文"));
    assert.deepEqual(out.warnings, [
      "parse: declared charset utf-16 does not fit bytes that are 8-bit; label ignored",
    ]);
  });
});
