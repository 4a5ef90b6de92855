import { lstatSync, readFileSync, readlinkSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";

/**
 * Locks that say which process holds them, so that a lock left by a killed run is recognised as
 * stale and taken over, and a live run's never is. For create-agentcore's working folders: a
 * target being written (src/write.ts), and a cache entry being filled (src/team/cache.ts, which
 * waits for it: `waitForLock`).
 *
 * Node has no flock(2), and a native module or a helper process would cost a plain run
 * milliseconds. A lock here is a symbolic link whose target text is its owner, as Emacs locks
 * files: creating one is a single system call that fails if the name exists, so exactly one run
 * wins and no run ever sees a lock without its owner, even one killed in the middle of taking it.
 * (A file created with O_EXCL and then written has a moment, caught by the kill tests, when it
 * exists empty.) Where symbolic links cannot be made (Windows without the privilege, FAT), it is a
 * file created with O_EXCL, and one found empty counts as held for UNWRITTEN_GRACE_MS.
 *
 * The owner is the pid, the process's start time (Linux: field 22 of /proc/PID/stat, so a pid
 * reused by another process is not taken for the owner), the boot id, the pid namespace and the
 * host name. It is alive when a process with that pid and start time runs; where there is no
 * /proc (macOS, Windows), when `kill(pid, 0)` finds the pid. An owner on another host or in
 * another pid namespace (a container sharing the folder) cannot be checked and counts as alive: a
 * lock is never broken on a guess.
 *
 * A lock may also be taken for at most a time (`holdMs`, the cache's): past it the lock is stale
 * even if its owner runs, so that a run that hangs holding it, or one that cannot be checked, holds
 * others up for that long and no longer. A project writer's lock has none: a live run's is never
 * broken, however long it writes.
 *
 * Taking over a stale lock is guarded by a second lock (`guardOf`), so that of the runs that
 * found it stale one removes it, and none removes the lock another run took meanwhile.
 *
 * Measured here: taking and releasing a lock about 0.05 ms; this process's owner (three small
 * reads under /proc), once per run, about 0.05 ms.
 */

export interface Owner {
  pid: number;
  /** Start time of the process in clock ticks since boot ("" where there is no /proc). */
  start: string;
  boot: string;
  /** Pid namespace ("" where there is no /proc). */
  ns: string;
  host: string;
}

interface LockContents<T> {
  owner: Owner;
  /** Past this time (ms since the epoch) the lock is stale whoever holds it; none: held while its owner runs. */
  until?: number;
  data: T;
}

export interface LockOptions<T> {
  /** Makes the new lock's data from what a stale lock it takes over recorded. */
  inherit?: (previous: T) => T;
  /** The longest the lock may be held: past it, it is stale even if its owner still runs. */
  holdMs?: number;
}

export interface Lock<T> {
  path: string;
  /** The data written into the lock: the caller's, or what `inherit` made of a stale lock's. */
  data: T;
  release(): void;
  /** The same lock, found at `path` now (it, or a folder holding it, was renamed). */
  at(path: string): Lock<T>;
}

export interface Busy {
  busy: true;
  /** The live owner; undefined for a lock file being written, or a stale lock another run is taking over. */
  owner?: Owner;
  /** Whether the owner could be checked: false on another host or in another pid namespace. */
  checkable: boolean;
}

/** A lock file (not a link) with no owner in it yet is a run between creating and writing it, unless older than this. */
const UNWRITTEN_GRACE_MS = 10_000;
/** A takeover is a few system calls: its guard is stale after this long, whoever holds it. */
const TAKEOVER_MS = 10_000;

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * The start time of a running process: field 22 of /proc/PID/stat (counted after the command
 * name, which may hold spaces and parentheses). None for a zombie: a killed run whose parent has
 * not collected it yet is gone all the same.
 */
function startTime(pid: number | "self"): string | undefined {
  const stat = readOrUndefined(`/proc/${pid}/stat`);
  const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields && fields[0] !== "Z" && fields[0] !== "X" ? fields[19] : undefined;
}

let self: Owner | undefined;

/** The owner this process writes into its locks. */
export function thisProcess(): Owner {
  if (!self) {
    let ns = "";
    try {
      ns = readlinkSync("/proc/self/ns/pid");
    } catch {
      // no /proc: no namespaces to tell apart
    }
    self = {
      pid: process.pid,
      start: startTime("self") ?? "",
      boot: readOrUndefined("/proc/sys/kernel/random/boot_id")?.trim() ?? "",
      ns,
      host: hostname(),
    };
  }
  return self;
}

/** Whether the owner can be checked from here: the same host and pid namespace. */
function checkable(owner: Owner): boolean {
  const me = thisProcess();
  return owner.host === me.host && owner.ns === me.ns;
}

/** Whether the process that wrote `owner` may still be running (true when it cannot be checked). */
function alive(owner: Owner): boolean {
  const me = thisProcess();
  if (owner.host !== me.host) return true;
  if (owner.boot !== "" && me.boot !== "" && owner.boot !== me.boot) return false; // rebooted since
  if (owner.ns !== me.ns) return true;
  if (me.start !== "") return startTime(owner.pid) === owner.start;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // another user's process
  }
}

function parse<T>(text: string | undefined): LockContents<T> | undefined {
  if (text === undefined) return undefined;
  try {
    const contents = JSON.parse(text) as LockContents<T>;
    return typeof contents?.owner?.pid === "number" ? contents : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The guard taken while a stale lock is taken over: one name per lock, so that the run holding
 * the lock next removes one a run killed in that moment left behind, without listing the folder.
 */
export const guardOf = (path: string) => `${path}-broken`;

/** Creates the lock with its contents; false if the name is taken. */
function create(path: string, contents: string): boolean {
  try {
    symlinkSync(contents, path);
    return true;
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOSYS" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw error;
  }
  try {
    writeFileSync(path, contents, { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** A lock's text (a link's target, or a file's contents); undefined if it is gone. */
function readLock(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === "ENOENT") return undefined;
    if (code !== "EINVAL" && code !== "UNKNOWN") throw error; // EINVAL: not a link
  }
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error; // a folder in its place, say
  }
}

/**
 * Takes the lock at `path` with `data` in it, or says who holds it. A stale lock (its owner is
 * gone, or its time is up) is taken over: removed under its guard, and what it recorded is handed
 * to `inherit`, whose result is written into the new lock instead, in the same single step.
 */
export function tryLock<T>(path: string, data: T, { inherit, holdMs }: LockOptions<T> = {}): Lock<T> | Busy {
  let mine = data;
  for (;;) {
    const until = holdMs === undefined ? undefined : Date.now() + holdMs;
    const contents = JSON.stringify({ owner: thisProcess(), until, data: mine } satisfies LockContents<T>);
    if (create(path, contents)) return lockAt(path, mine, contents);
    const seen = readLock(path);
    if (seen === undefined) continue; // released meanwhile
    const held = parse<T>(seen);
    if (stillHeld(path, held)) {
      return { busy: true, ...(held && { owner: held.owner }), checkable: held ? checkable(held.owner) : true };
    }
    const outcome = removeStale(path, seen);
    if (outcome === "busy") return { busy: true, checkable: true };
    if (outcome === "removed" && held && inherit) mine = inherit(held.data);
  }
}

function lockAt<T>(path: string, data: T, contents: string): Lock<T> {
  return {
    path,
    data,
    release: () => removeIfStill(path, contents),
    at: (to) => lockAt(to, data, contents),
  };
}

/**
 * Takes the lock at `path`, waiting while another run holds it (looking again after 20 ms, then
 * twice as long each time, up to 250 ms); `waiting` is told once who that is. Every lock at `path`
 * must be taken for at most `holdMs`: that, not the waiting, bounds the wait.
 */
export async function waitForLock<T>(
  path: string,
  data: T,
  { holdMs, waiting }: { holdMs: number; waiting: (owner: Owner | undefined) => void },
): Promise<Lock<T>> {
  let told = false;
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    const lock = tryLock(path, data, { holdMs });
    if ("release" in lock) return lock;
    if (!told) {
      told = true;
      waiting(lock.owner);
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** Whether the lock at `path` holding `contents` (undefined: none readable) is not stale. */
function stillHeld(path: string, contents: LockContents<unknown> | undefined): boolean {
  if (!contents) return youngerThan(path, UNWRITTEN_GRACE_MS);
  return alive(contents.owner) && !(typeof contents.until === "number" && Date.now() > contents.until);
}

function youngerThan(path: string, ms: number): boolean {
  try {
    return Date.now() - lstatSync(path).mtimeMs < ms;
  } catch {
    return false;
  }
}

/**
 * Removes the stale lock whose text was `seen`, under its guard: "busy" while another run takes
 * it over, "changed" if it is not there any more. A guard whose run was killed or is stuck is
 * stale too, and removed.
 */
function removeStale(path: string, seen: string): "removed" | "changed" | "busy" {
  const guard = guardOf(path);
  const mine = JSON.stringify({ owner: thisProcess(), until: Date.now() + TAKEOVER_MS, data: null });
  while (!create(guard, mine)) {
    const other = readLock(guard);
    if (other === undefined) continue;
    if (stillHeld(guard, parse(other))) return "busy";
    removeIfStill(guard, other);
  }
  try {
    // Only a run holding the guard removes a lock that is not its own, so this is still `seen`
    // when it is removed (unless its owner, alive past its time, releases it meanwhile).
    return removeIfStill(path, seen) ? "removed" : "changed";
  } finally {
    removeIfStill(guard, mine);
  }
}

/** Removes the lock at `path` if it still holds `contents` (a lock taken over is another's); whether it did. */
function removeIfStill(path: string, contents: string): boolean {
  if (readLock(path) !== contents) return false;
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return false;
  }
}
