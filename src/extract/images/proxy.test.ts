import * as assert from "node:assert/strict";
import { test } from "node:test";
import { unwrapProxy } from "./proxy.js";

test("IMG-P01: proxy URLs give the original image behind them", () => {
  assert.equal(
    unwrapProxy("https://images.weserv.nl/?url=gdb.voanews.com/a/b.jpg"),
    "https://gdb.voanews.com/a/b.jpg",
  );
  assert.equal(
    unwrapProxy("https://images.weserv.nl?url=ssl:gdb.voanews.com/c.jpg&w=400"),
    "https://gdb.voanews.com/c.jpg",
  );
  assert.equal(
    unwrapProxy("http://mirror.test/?url=https%3A%2F%2Fgdb.voanews.com%2Fd.jpg"),
    "https://gdb.voanews.com/d.jpg",
  );
  assert.equal(unwrapProxy("https://gdb.voanews.com/e.jpg"), undefined);
  assert.equal(unwrapProxy("https://site.test/search?url=abc"), undefined, "only a proxy's root path counts");
  assert.equal(unwrapProxy("https://images.weserv.nl/?url=nohost"), undefined);
});
