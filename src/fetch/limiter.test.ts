import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { createLimiter } from "./limiter.js";

describe("createLimiter", () => {
  it("never runs more than the total and per-host limits, and runs everything in the end", async () => {
    const limiter = createLimiter(3, 2);
    const running = new Map<string, number>();
    let peak = 0;
    const peakPerHost = new Map<string, number>();
    const finished: string[] = [];
    const job = async (host: string, id: string) => {
      const release = await limiter.acquire(host);
      if (!release) return assert.fail("limiter closed unexpectedly");
      running.set(host, (running.get(host) ?? 0) + 1);
      peak = Math.max(peak, limiter.active);
      peakPerHost.set(host, Math.max(peakPerHost.get(host) ?? 0, running.get(host) ?? 0));
      // Hold the slot past every other job's acquire: they all start in this same turn.
      await nextTurn();
      running.set(host, (running.get(host) ?? 0) - 1);
      finished.push(id);
      release();
    };
    await Promise.all(["a", "a", "a", "a", "b", "b", "b", "c"].map((host, i) => job(host, `${host}${i}`)));
    assert.equal(finished.length, 8);
    assert.equal(peak, 3);
    assert.equal(peakPerHost.get("a"), 2);
    assert.equal(limiter.active, 0);
  });

  it("lets a waiter for an idle host past a waiter for a busy one", async () => {
    const limiter = createLimiter(2, 1);
    const a1 = await limiter.acquire("a");
    const order: string[] = [];
    const a2 = limiter.acquire("a").then((release) => {
      order.push("a2");
      return release;
    });
    const b1 = limiter.acquire("b").then((release) => {
      order.push("b1");
      return release;
    });
    await b1;
    assert.deepEqual(order, ["b1"]);
    a1?.();
    await a2;
    assert.deepEqual(order, ["b1", "a2"]);
  });

  it("ignores a second release and treats limits below 1 as 1", async () => {
    const limiter = createLimiter(0, 0);
    const first = await limiter.acquire("a");
    let second = false;
    const waiting = limiter.acquire("b").then(() => (second = true));
    first?.();
    first?.();
    await waiting;
    assert.ok(second);
    assert.equal(limiter.active, 1);
  });

  it("hands undefined to waiters and later callers once closed", async () => {
    const limiter = createLimiter(1, 1);
    await limiter.acquire("a");
    const waiting = limiter.acquire("a");
    limiter.close();
    assert.equal(await waiting, undefined);
    assert.equal(await limiter.acquire("b"), undefined);
  });
});
