import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { BodyPostings, forEachBodyToken } from "./postings.js";
import { bodyTokens, encodedLength, encodeIds, PostingCollector, segmentFiles } from "./text-index.js";

const TEXTS: [string, string][] = [
  ["臺灣選舉", "台湾的選舉結果，ＡＢＣ News 報道。中俄关系 putin Putin's 2024年"],
  ["", "Ｆｕｌｌｗｉｄｔｈ ﬁne café cafe\u0301 — 한국어 텍스트 ひらがな カタカナー 𠀀𠀁字 \ud800 lone"],
  ["一", "二"],
  ["Title only", ""],
  ["㈱会社", "Ⅻ章 ½ 〇一二 abc123def 3.14 e-mail x\ny"],
];

function tokensOf(title: string, text: string): string[] {
  const out: string[] = [];
  // Numeric bigram keys stand as "#": their strings are compared through postings() below.
  forEachBodyToken(
    title,
    text,
    () => out.push("#"),
    (w) => out.push(w),
  );
  return out;
}

const temp = mkdtempSync(join(tmpdir(), "newsark-postings-"));
after(() => rmSync(temp, { recursive: true, force: true }));

describe("full-text postings", () => {
  test("PST-01: the token walk gives the same tokens as bodyTokens, in order", () => {
    for (const [title, text] of TEXTS) {
      const expected = bodyTokens(title, text);
      const got = tokensOf(title, text);
      assert.equal(got.length, expected.length, `${title}|${text}`);
      got.forEach((t, i) => {
        if (t !== "#") assert.equal(t, expected[i], `${title}|${text}`);
      });
    }
    // And the same strings, once numeric bigrams are written out.
    for (const [k, [title, text]] of TEXTS.entries()) {
      const c = new BodyPostings();
      c.addText(k, title, text);
      assert.deepEqual(new Set(c.postings().keys()), new Set(bodyTokens(title, text)), `${title}|${text}`);
    }
  });

  test("PST-02: segments from the compact postings, spilled to disk or not, are byte-identical to segmentFiles over a PostingCollector", () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const chars =
      "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严";
    const a = new PostingCollector();
    const b = new BodyPostings();
    // Spilled every ~20 KB: into fewer files than shards, and into more files than shards.
    const c = new BodyPostings({ dir: join(temp, "c"), bytes: 20_000, partitions: 4 });
    const d = new BodyPostings({ dir: join(temp, "d"), bytes: 20_000, partitions: 128 });
    // Ids out of order, some repeated tokens, a few thousand docs so lists span several blocks.
    for (let k = 0; k < 3000; k++) {
      const id = (k * 7919) % 3001;
      let text = "";
      for (let i = 0; i < 200; i++) text += chars[Math.floor(rnd() * 60 + (k % 5) * 40)] ?? "";
      text += ` word${k % 13} 台灣 `;
      a.add(id, bodyTokens(`标题${k}`, text));
      b.addText(id, `标题${k}`, text);
      c.addText(id, `标题${k}`, text);
      d.addText(id, `标题${k}`, text);
    }
    assert.ok(existsSync(join(temp, "c", "0")), "postings were spilled");
    const expected = segmentFiles("m1", a.postings(), a.docs);
    const files = new Map<string, string>();
    const segment = b.writeSegment("m1", (rel, text) => files.set(rel, text));
    assert.deepEqual(segment, expected.segment);
    assert.deepEqual(files, expected.files);
    for (const spilled of [c, d]) {
      const out = new Map<string, string>();
      assert.deepEqual(
        spilled.writeSegment("m1", (rel, text) => out.set(rel, text)),
        expected.segment,
      );
      assert.deepEqual(out, expected.files);
    }
    assert.ok(
      expected.segment.shards >= 4 && expected.segment.shards < 128,
      `${expected.segment.shards} shards`,
    );
    assert.equal(existsSync(join(temp, "c")), false, "spill files removed");
  });

  test("PST-03: encodedLength is the length of encodeIds for sparse, dense, long and empty id lists", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const lists: number[][] = [[], [0], [31], [32], [1023, 1024, 32768], [5, 6, 7, 8, 9, 10, 11, 12, 13]];
    for (const density of [0.002, 0.05, 0.3, 0.9]) {
      for (const start of [0, 17, 40_000, 3_000_000]) {
        const ids: number[] = [];
        for (let id = start; ids.length < 400; id++) if (random() < density) ids.push(id);
        lists.push(ids);
      }
    }
    for (const ids of lists) assert.equal(encodedLength(ids), encodeIds(ids).length, `${ids.slice(0, 5)}…`);
  });

  test("PST-04: docs added in id order and spilled give the same segment as kept in memory", () => {
    const here = new BodyPostings();
    const spilled = new BodyPostings({ dir: join(temp, "e"), bytes: 8_000, partitions: 8 });
    for (let id = 0; id < 1500; id++) {
      const text = `${TEXTS[id % TEXTS.length]?.[1]} 第${id % 17}章 ${id % 3 === 0 ? "台湾关系" : "中俄"}`;
      here.addText(id, `标题${id % 29}`, text);
      spilled.addText(id, `标题${id % 29}`, text);
    }
    assert.ok(existsSync(join(temp, "e", "0")), "postings were spilled");
    const expected = new Map<string, string>();
    const files = new Map<string, string>();
    assert.deepEqual(
      spilled.writeSegment("m1", (rel, text) => files.set(rel, text)),
      here.writeSegment("m1", (rel, text) => expected.set(rel, text)),
    );
    assert.deepEqual(files, expected);
  });
});
