import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { guardOf, type Owner, thisProcess, tryLock, waitForLock } from "../src/lock.js";

// src/lock.ts: a lock is held while its owner runs (and, if taken for a time, until that is up),
// and taken over once the owner is gone. Across real processes: several released together behind
// a barrier (their stdin) race for one lock, and exactly one gets it, over a free lock or a stale
// one; a live run's is never taken.
const work = mkdtempSync(join(tmpdir(), "lock-"));
after(() => rmSync(work, { recursive: true, force: true }));
let locks = 0;
const fresh = () => join(work, `lock-${++locks}`);
const linux = { skip: process.platform === "linux" ? false : "start times come from /proc" };

/** The owner record of a process that has exited: its real pid and start time, as its lock would hold. */
function exitedOwner() {
  const child = spawnSync(
    process.execPath,
    ["-e", "process.stdout.write(require('fs').readFileSync('/proc/self/stat','utf8'))"],
    {
      encoding: "utf8",
    },
  );
  const fields = child.stdout.slice(child.stdout.lastIndexOf(")") + 2).split(" ");
  return { ...thisProcess(), pid: Number(child.stdout.split(" ")[0]), start: fields[19]! };
}

test("a held lock is refused while its owner runs, and free again once released", () => {
  const path = fresh();
  const lock = tryLock(path, { n: 1 });
  assert.ok("release" in lock);
  const again = tryLock(path, { n: 2 });
  assert.deepEqual(again, { busy: true, owner: thisProcess(), checkable: true });
  lock.release();
  assert.equal(existsSync(path), false);
  const third = tryLock(path, { n: 3 }, { inherit: () => ({ n: 4 }) });
  assert.ok("release" in third);
  assert.deepEqual(third.data, { n: 3 }, "a lock released, not stale, hands nothing on");
  third.release();
});

test("a lock moved to another name is still held there, and released there", () => {
  const path = fresh();
  const lock = tryLock(path, { n: 1 });
  assert.ok("release" in lock);
  const moved = `${path}-moved`;
  renameSync(path, moved);
  const there = lock.at(moved);
  assert.deepEqual([there.path, there.data], [moved, { n: 1 }]);
  assert.deepEqual(tryLock(moved, { n: 2 }), { busy: true, owner: thisProcess(), checkable: true });
  const free = tryLock(path, { n: 3 });
  assert.ok("release" in free, "the old name is free");
  free.release();
  there.release();
  assert.equal(existsSync(moved), false);
});

test("a lock left by a process that has exited is taken over, handing on what it recorded", linux, () => {
  const path = fresh();
  writeFileSync(path, JSON.stringify({ owner: exitedOwner(), data: { levels: 2 } }));
  const lock = tryLock(path, { levels: 1 }, { inherit: (previous) => ({ levels: previous.levels + 1 }) });
  assert.ok("release" in lock);
  assert.deepEqual(lock.data, { levels: 3 });
  const contents = JSON.parse(readlinkSync(path));
  assert.deepEqual([contents.owner.pid, contents.data], [process.pid, { levels: 3 }]);
  lock.release();
  assert.deepEqual(
    readdirSync(work).filter((name) => name.startsWith("lock-") && name.includes("broken")),
    [],
  );
});

test("a pid reused by another process does not keep a dead run's lock", linux, () => {
  const path = fresh();
  // This process's pid, with a start time that is not its own: the pid was reused.
  writeFileSync(path, JSON.stringify({ owner: { ...thisProcess(), start: "1" }, data: {} }));
  const lock = tryLock(path, {});
  assert.ok("release" in lock);
  lock.release();
});

test("a killed run whose parent has not collected it yet (a zombie) is gone all the same", linux, async () => {
  // sh starts a child that exits at once and then becomes sleep, which never collects it.
  const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
  try {
    const pid = Number(
      await new Promise<string>((resolve) => parent.stdout.once("data", (chunk) => resolve(String(chunk)))),
    );
    const stat = () => readFileSync(`/proc/${pid}/stat`, "utf8");
    const start = stat()
      .slice(stat().lastIndexOf(")") + 2)
      .split(" ")[19]!;
    while (stat().slice(stat().lastIndexOf(")") + 2)[0] !== "Z") await new Promise((resolve) => setImmediate(resolve));
    const path = fresh();
    writeFileSync(path, JSON.stringify({ owner: { ...thisProcess(), pid, start }, data: {} }));
    const lock = tryLock(path, {});
    assert.ok("release" in lock, "a zombie's lock was taken for a live run's");
    lock.release();
  } finally {
    parent.kill();
  }
});

test("a lock file still being written counts as held; one left unwritten for long is taken over", () => {
  const path = fresh();
  writeFileSync(path, "");
  assert.deepEqual(tryLock(path, {}), { busy: true, checkable: true });
  const longAgo = new Date(Date.now() - 60_000);
  utimesSync(path, longAgo, longAgo);
  const lock = tryLock(path, {});
  assert.ok("release" in lock);
  lock.release();
});

test("an owner on another host or in another pid namespace cannot be checked, so its lock holds", () => {
  for (const other of [{ host: "elsewhere.example" }, { ns: "pid:[1]" }]) {
    const path = fresh();
    const owner = { ...thisProcess(), pid: 999_999_999, ...other };
    writeFileSync(path, JSON.stringify({ owner, data: {} }));
    assert.deepEqual(tryLock(path, {}), { busy: true, owner, checkable: false });
  }
});

test("a lock taken for a time holds while its owner runs, or cannot be checked, and is stale once the time is up", () => {
  const cases: [string, Partial<Owner>, number, boolean][] = [
    ["a live run here, in time", {}, 60_000, false],
    ["a live run here, time up", {}, -1, true],
    ["a run on another host, in time", { host: "elsewhere.example" }, 60_000, false],
    ["a run on another host, time up", { host: "elsewhere.example" }, -1, true],
  ];
  for (const [what, other, left, stale] of cases) {
    const path = fresh();
    writeFileSync(path, JSON.stringify({ owner: { ...thisProcess(), ...other }, until: Date.now() + left, data: {} }));
    const lock = tryLock(path, {});
    assert.equal("release" in lock, stale, what);
    if ("release" in lock) lock.release();
  }
});

test("release removes only its own lock", () => {
  const path = fresh();
  const lock = tryLock(path, {});
  assert.ok("release" in lock);
  // Taken over meanwhile (its time was up, say) by another run.
  rmSync(path);
  const theirs = JSON.stringify({ owner: { ...thisProcess(), pid: 999_999_999, host: "elsewhere.example" }, data: {} });
  writeFileSync(path, theirs);
  lock.release();
  assert.equal(readFileSync(path, "utf8"), theirs, "another run's lock was removed");
});

test(
  "a takeover's guard held by a live run leaves the stale lock to it; one left by a killed or stuck run is removed",
  linux,
  () => {
    const guards: [string, object, boolean][] = [
      ["a live run's", { owner: thisProcess(), until: Date.now() + 60_000 }, false],
      ["a killed run's", { owner: exitedOwner(), until: Date.now() + 60_000 }, true],
      ["a live run's, stuck past its time", { owner: thisProcess(), until: Date.now() - 1 }, true],
    ];
    for (const [what, guard, taken] of guards) {
      const path = fresh();
      const stale = JSON.stringify({ owner: exitedOwner(), data: {} });
      writeFileSync(path, stale);
      writeFileSync(guardOf(path), JSON.stringify({ ...guard, data: null }));
      const lock = tryLock(path, {});
      assert.equal("release" in lock, taken, what);
      if ("release" in lock) {
        assert.equal(existsSync(guardOf(path)), false, `${what}: the guard is still there`);
        lock.release();
      } else {
        assert.deepEqual(lock, { busy: true, checkable: true }, what);
        assert.equal(readFileSync(path, "utf8"), stale, `${what}: the stale lock was removed under a live guard`);
      }
    }
  },
);

const LOCK_MODULE = pathToFileURL(join(import.meta.dirname, "..", "src", "lock.ts")).href;

// A contender: says "ready" once loaded, then for each line on stdin, ["take", path, holdMs?]
// or ["release", path], tries the lock or releases it and says "got", "busy" or "released".
const CONTENDER = `
import { createInterface } from "node:readline";
import { tryLock } from ${JSON.stringify(LOCK_MODULE)};
const held = new Map();
createInterface({ input: process.stdin }).on("line", (line) => {
  const [command, path, holdMs] = JSON.parse(line);
  if (command === "take") {
    const lock = tryLock(path, null, holdMs === undefined ? {} : { holdMs });
    if ("release" in lock) held.set(path, lock);
    process.stdout.write("release" in lock ? "got\\n" : "busy\\n");
  } else {
    held.get(path)?.release();
    held.delete(path);
    process.stdout.write("released\\n");
  }
});
process.stdout.write("ready\\n");
`;

interface Contender {
  child: ChildProcess;
  /** Sends one command and settles with the answer. */
  ask: (...command: (string | number)[]) => Promise<string>;
}

/** Starts `count` contenders, each a process of its own, and settles once all are ready. */
async function contenders(count: number): Promise<Contender[]> {
  const started = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", CONTENDER], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const answers: ((line: string) => void)[] = [];
    let output = "";
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      for (let end = output.indexOf("\n"); end >= 0; end = output.indexOf("\n")) {
        answers.shift()!(output.slice(0, end));
        output = output.slice(end + 1);
      }
    });
    const next = () => new Promise<string>((resolve) => answers.push(resolve));
    const ready = next();
    const ask = (...command: (string | number)[]) => {
      const answer = next();
      child.stdin!.write(`${JSON.stringify(command)}\n`);
      return answer;
    };
    return { contender: { child, ask }, ready };
  });
  await Promise.all(started.map(({ ready }) => ready));
  return started.map(({ contender }) => contender);
}

/** Ends the contenders (their stdin closes) and settles once they have exited. */
function finish(all: Contender[]): Promise<unknown> {
  return Promise.all(all.map((one) => new Promise((resolve) => one.child.once("exit", resolve).stdin!.end())));
}

/** All `racers` try the lock at once (each was waiting on its stdin); those that got it. */
async function race(racers: Contender[], path: string, holdMs?: number): Promise<Contender[]> {
  const command = holdMs === undefined ? ["take", path] : ["take", path, holdMs];
  const answers = await Promise.all(racers.map((one) => one.ask(...command)));
  return racers.filter((_, index) => answers[index] === "got");
}

const ownerOf = (path: string): Owner => JSON.parse(readlinkSync(path)).owner;

test("eight processes racing for a free lock, 300 times: exactly one gets it each time; it is gone once released", async () => {
  const racers = await contenders(8);
  try {
    for (let round = 0; round < 300; round++) {
      const path = fresh();
      const winners = await race(racers, path);
      assert.equal(winners.length, 1, `round ${round}: ${winners.length} got the lock`);
      assert.equal(ownerOf(path).pid, winners[0]!.child.pid);
      await winners[0]!.ask("release", path);
      assert.equal(lstatSync(path, { throwIfNoEntry: false }), undefined, `round ${round}: the released lock is there`);
    }
  } finally {
    await finish(racers);
  }
});

test("eight processes racing for a stale lock, 1,000 times: exactly one takes it over each time", linux, async () => {
  // A killed run's lock, or a live run's whose time is up (this process's).
  const killed = exitedOwner();
  const stale = [
    () => ({ owner: killed, data: null }),
    () => ({ owner: thisProcess(), until: Date.now() - 1, data: null }),
  ];
  const racers = await contenders(8);
  try {
    for (let round = 0; round < 1000; round++) {
      const path = fresh();
      writeFileSync(path, JSON.stringify(stale[round % 2]!()));
      const winners = await race(racers, path);
      assert.equal(winners.length, 1, `round ${round}: ${winners.length} got the lock`);
      assert.equal(ownerOf(path).pid, winners[0]!.child.pid);
      await winners[0]!.ask("release", path);
      assert.deepEqual(
        [path, guardOf(path)].filter((left) => lstatSync(left, { throwIfNoEntry: false })),
        [],
        `round ${round}: left behind`,
      );
    }
  } finally {
    await finish(racers);
  }
});

test("waitForLock says once who holds the lock, and takes it once that run releases it", async () => {
  const [holder] = await contenders(1);
  try {
    const path = fresh();
    assert.equal(await holder!.ask("take", path, 60_000), "got");
    const told: (Owner | undefined)[] = [];
    let toldOnce: () => void = () => {};
    const telling = new Promise<void>((resolve) => (toldOnce = resolve));
    const taking = waitForLock(
      path,
      { mine: true },
      {
        holdMs: 60_000,
        waiting: (owner) => {
          told.push(owner);
          toldOnce();
        },
      },
    );
    await telling;
    assert.deepEqual(told, [ownerOf(path)], "it did not name the holder");
    assert.equal(told[0]!.pid, holder!.child.pid);
    // Time for it to look again twice (after 20 and 40 ms) before the lock is released.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await holder!.ask("release", path);
    const lock = await taking;
    assert.equal(told.length, 1, "it said more than once that it waits");
    assert.deepEqual([ownerOf(path), lock.data], [thisProcess(), { mine: true }]);
    lock.release();
  } finally {
    await finish([holder!]);
  }
});

test("waitForLock behind a live run that holds the lock past its time takes it then, and that run's release leaves it", async () => {
  const [holder] = await contenders(1);
  try {
    const path = fresh();
    assert.equal(await holder!.ask("take", path, 300), "got");
    const { until } = JSON.parse(readlinkSync(path));
    const lock = await waitForLock(path, {}, { holdMs: 60_000, waiting: () => {} });
    assert.ok(Date.now() > until, "taken before the holder's time was up");
    assert.equal(holder!.child.exitCode, null, "the holder has exited");
    await holder!.ask("release", path);
    assert.deepEqual(ownerOf(path), thisProcess(), "the late release removed the new lock");
    lock.release();
  } finally {
    await finish([holder!]);
  }
});
