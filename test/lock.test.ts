import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { thisProcess, tryLock } from "../src/lock.js";

// src/lock.ts: a lock is held while its owner runs, and taken over once the owner is gone.
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
  const third = tryLock(path, { n: 3 }, () => ({ n: 4 }));
  assert.ok("release" in third);
  assert.deepEqual(third.data, { n: 3 }, "a lock released, not stale, hands nothing on");
  third.release();
});

test("a lock left by a process that has exited is taken over, handing on what it recorded", linux, () => {
  const path = fresh();
  writeFileSync(path, JSON.stringify({ owner: exitedOwner(), data: { levels: 2 } }));
  const lock = tryLock(path, { levels: 1 }, (previous) => ({ levels: previous.levels + 1 }));
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
