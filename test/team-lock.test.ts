import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { lock, tryLock } from "../src/team/lock.js";

// The cache entries' lock (src/team/lock.ts) across real processes: several start together behind
// a barrier (their stdin), race for one lock, and exactly one gets it; stale locks (a killed
// holder, a time that is up, a file never written) are broken once; live ones never are.
const ROOT = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "lock-"));
after(() => rmSync(work, { recursive: true, force: true }));

// Says "ready" once loaded; at the first byte on stdin tries the lock and says "got" or "busy";
// holds it until stdin ends.
const CONTENDER = `
import { tryLock } from ${JSON.stringify(pathToFileURL(join(ROOT, "src/team/lock.ts")).href)};
process.stdin.once("data", () => {
  const release = tryLock(process.argv[1], 60_000);
  process.stdout.write(release ? "got\\n" : "busy\\n");
  process.stdin.on("end", () => { release?.(); process.exit(0); });
  process.stdin.resume();
});
process.stdout.write("ready\\n");
`;

interface Contender {
  child: ChildProcess;
  said: (word: string) => Promise<void>;
  output: () => string;
}

function contender(path: string): Contender {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", CONTENDER, path], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  let output = "";
  const listeners: (() => void)[] = [];
  child.stdout!.on("data", (chunk) => {
    output += chunk;
    for (const listener of listeners) listener();
  });
  const said = (word: string) =>
    new Promise<void>((resolve) => {
      const check = () => output.split("\n").includes(word) && resolve();
      listeners.push(check);
      check();
    });
  return { child, said, output: () => output };
}

/** Starts `count` contenders, lets them all try at once, and returns who got the lock. */
async function race(path: string, count: number): Promise<{ winners: number; contenders: Contender[] }> {
  const contenders = Array.from({ length: count }, () => contender(path));
  await Promise.all(contenders.map((one) => one.said("ready")));
  for (const one of contenders) one.child.stdin!.write("go");
  await Promise.all(contenders.map((one) => Promise.race([one.said("got"), one.said("busy")])));
  return { winners: contenders.filter((one) => one.output().includes("got")).length, contenders };
}

async function finish(contenders: Contender[]): Promise<void> {
  await Promise.all(
    contenders.map(
      (one) =>
        new Promise<void>((resolve) => {
          one.child.on("exit", () => resolve());
          one.child.stdin!.end();
        }),
    ),
  );
}

/** A pid that no process has: one that just exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid!;
}

test("of six processes racing for a free lock, exactly one gets it; it is gone once released", async () => {
  const path = join(work, "free.lock");
  const { winners, contenders } = await race(path, 6);
  assert.equal(winners, 1);
  await finish(contenders);
  assert.equal(existsSync(path), false, "the released lock is still there");
});

test("of six processes racing for the lock of a killed run, exactly one breaks it and gets it", async () => {
  const path = join(work, "stale.lock");
  const holder = { pid: deadPid(), host: hostname(), until: Date.now() + 60_000, nonce: "killed" };
  writeFileSync(path, JSON.stringify(holder));
  const { winners, contenders } = await race(path, 6);
  assert.equal(winners, 1);
  assert.notEqual(JSON.parse(readFileSync(path, "utf8")).nonce, "killed");
  await finish(contenders);
});

test("a lock is stale only when its holder is gone, its time is up, or it was never written", () => {
  const path = join(work, "cases.lock");
  const cases: [string, () => void, boolean][] = [
    [
      "held by a live process here",
      () =>
        writeFileSync(
          path,
          JSON.stringify({ pid: process.pid, host: hostname(), until: Date.now() + 60_000, nonce: "a" }),
        ),
      false,
    ],
    [
      "held by a dead process here",
      () =>
        writeFileSync(
          path,
          JSON.stringify({ pid: deadPid(), host: hostname(), until: Date.now() + 60_000, nonce: "b" }),
        ),
      true,
    ],
    [
      "held on another host, in time (its pid says nothing here)",
      () =>
        writeFileSync(
          path,
          JSON.stringify({ pid: deadPid(), host: "elsewhere", until: Date.now() + 60_000, nonce: "c" }),
        ),
      false,
    ],
    [
      "held on another host, time up",
      () =>
        writeFileSync(path, JSON.stringify({ pid: process.pid, host: "elsewhere", until: Date.now() - 1, nonce: "d" })),
      true,
    ],
    [
      "held by a live process whose time is up",
      () =>
        writeFileSync(path, JSON.stringify({ pid: process.pid, host: hostname(), until: Date.now() - 1, nonce: "e" })),
      true,
    ],
    ["being written (empty, just now)", () => writeFileSync(path, ""), false],
    [
      "never written (empty, 20 s old)",
      () => {
        writeFileSync(path, "");
        const past = new Date(Date.now() - 20_000);
        utimesSync(path, past, past);
      },
      true,
    ],
  ];
  for (const [what, make, stale] of cases) {
    rmSync(path, { force: true });
    make();
    const release = tryLock(path, 60_000);
    assert.equal(release !== undefined, stale, what);
    release?.();
  }
});

test("release removes only its own lock", () => {
  const path = join(work, "own.lock");
  const release = tryLock(path, 60_000)!;
  writeFileSync(
    path,
    JSON.stringify({ pid: process.pid, host: hostname(), until: Date.now() + 60_000, nonce: "theirs" }),
  );
  release();
  assert.equal(JSON.parse(readFileSync(path, "utf8")).nonce, "theirs", "another run's lock was removed");
});

test("lock() says it waits for a live holder, and takes the lock once it is released", async () => {
  const path = join(work, "wait.lock");
  const { winners, contenders } = await race(path, 1);
  assert.equal(winners, 1);
  let said: (value: unknown) => void = () => {};
  const waiting = new Promise((resolve) => (said = resolve));
  const taking = lock(path, 60_000, (holder) => said(holder));
  assert.deepEqual(await waiting, JSON.parse(readFileSync(path, "utf8")), "it named the holder");
  await finish(contenders);
  const release = await taking;
  assert.equal(JSON.parse(readFileSync(path, "utf8")).pid, process.pid);
  release();
});
