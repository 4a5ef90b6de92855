import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { assertSameProjectButName } from "./fixtures.js";
import { fetchFolders, hostile, QUIET, type Started } from "./support/hostile.js";
import { tarballOf } from "./support/template-server.js";

// Two runs, one cache: the second waits for the first and uses its copy; a run killed mid-fetch
// leaves a fetch folder that the next fetch removes, unless a live run is using it.
const { work, server, run, start, template, serve } = hostile("hostile-cache");

/** A promise and the function that settles it: a gate a test opens. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Settles once `started`'s stderr matches `pattern` (the run has printed it). */
function printed(started: Started, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!pattern.test(started.stderr())) return false;
      resolve();
      return true;
    };
    if (!check()) started.child.stderr!.on("data", check);
  });
}

/** The fetch folders at the top of a cache's templates/. */
test("two runs fetching one template: the second waits for the first, then uses its copy", async () => {
  const cache = mkdtempSync(join(work, "cache-race-"));
  const held = gate();
  const url = serve(tarballOf(template({ "a.md": "a" })), { gate: held.promise });
  const path = new URL(url).pathname;
  const first = start([join(work, "race-1"), "--template", url, ...QUIET], { cache });
  await server().arrived(path, 1);
  const second = start([join(work, "race-2"), "--template", url, ...QUIET], { cache });
  // Either the second run says it waits, or (without a lock) it fetches too.
  await Promise.race([printed(second, /waiting: /), server().arrived(path, 2)]);
  held.open();
  const [one, two] = await Promise.all([first.done, second.done]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  assert.match(
    two.stderr,
    /^waiting: another create-agentcore run \(pid \d+ on [^)]+\) is fetching http:\/\/127\.0\.0\.1:\d+\/archive-\d+\.tar\.gz$/m,
  );
  assert.equal(server().requests.filter((request) => request.path === path).length, 1, "both runs fetched");
  assertSameProjectButName(join(work, "race-1"), "race-1", join(work, "race-2"), "race-2");
  assert.deepEqual(fetchFolders(cache), []);
});

test("a run killed mid-fetch leaves a fetch folder; the next fetch of any template removes it", async () => {
  for (const next of ["the same template", "another template"]) {
    const cache = mkdtempSync(join(work, "cache-killed-"));
    const url = serve(tarballOf(template({ "a.md": "a" })), { gate: new Promise(() => {}) });
    const killed = start([join(work, "killed"), "--template", url, ...QUIET], { cache });
    await server().arrived(new URL(url).pathname, 1);
    assert.equal(fetchFolders(cache).length > 0, true, "the fetch folder exists while it downloads");
    killed.child.kill("SIGKILL");
    await killed.done;
    let again = url;
    if (next === "the same template")
      server().routes.set(new URL(url).pathname, { body: tarballOf(template({ "a.md": "a" })) });
    else again = serve(tarballOf(template({ "b.md": "b" })));
    const result = await run(["after-kill", "--template", again, ...QUIET], { cache });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(fetchFolders(cache), [], `${next}: the killed run's fetch folder is still there`);
  }
});

test("a fetch folder a live run is using is left alone", async () => {
  const cache = mkdtempSync(join(work, "cache-live-"));
  const held = gate();
  const url = serve(tarballOf(template({ "a.md": "a" })), { gate: held.promise });
  const live = start([join(work, "live"), "--template", url, ...QUIET], { cache });
  await server().arrived(new URL(url).pathname, 1);
  const before = fetchFolders(cache);
  assert.equal(before.length, 1);
  const other = await run(["live-other", "--template", serve(tarballOf(template({ "b.md": "b" }))), ...QUIET], {
    cache,
  });
  assert.equal(other.code, 0, other.stderr);
  assert.deepEqual(fetchFolders(cache), before, "the live run's fetch folder was removed");
  held.open();
  assert.equal((await live.done).code, 0);
});
