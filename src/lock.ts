import { lstatSync, readFileSync, readlinkSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";

/**
 * Locks that say which process holds them, so that a lock left by a killed run is recognised as
 * stale and taken over, and a live run's never is. For create-agentcore's working folders: a
 * target being written (src/write.ts), and any cache entry being filled.
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
  data: T;
}

export interface Lock<T> {
  path: string;
  /** The data written into the lock: the caller's, or what `inherit` made of a stale lock's. */
  data: T;
  release(): void;
}

export interface Busy {
  busy: true;
  /** The live owner; undefined for a lock file being written. */
  owner?: Owner;
  /** Whether the owner could be checked: false on another host or in another pid namespace. */
  checkable: boolean;
}

/** A lock file (not a link) with no owner in it yet is a run between creating and writing it, unless older than this. */
const UNWRITTEN_GRACE_MS = 10_000;

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
 * Where a stale lock is moved while it is taken over: one name per lock, so that the run holding
 * the lock next removes one a run killed in that moment left behind, without listing the folder.
 */
export const asideOf = (path: string) => `${path}-broken`;

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
 * gone) is taken over: moved aside under a unique name, checked to be the one read, removed; if a
 * live run took the lock in between, its lock is what was moved, and it is put back. What the
 * stale lock recorded is handed to `inherit`, whose result is written into the new lock instead,
 * in the same single step.
 */
export function tryLock<T>(path: string, data: T, inherit?: (previous: T) => T): Lock<T> | Busy {
  let mine = data;
  for (;;) {
    const contents = JSON.stringify({ owner: thisProcess(), data: mine } satisfies LockContents<T>);
    if (create(path, contents)) return { path, data: mine, release: () => release(path, contents) };
    const seen = readLock(path);
    if (seen === undefined) continue; // released meanwhile
    const held = parse<T>(seen);
    if (held ? alive(held.owner) : youngerThan(path, UNWRITTEN_GRACE_MS)) {
      return { busy: true, ...(held && { owner: held.owner }), checkable: held ? checkable(held.owner) : true };
    }
    if (takeOver(path, seen) && held && inherit) mine = inherit(held.data);
  }
}

function youngerThan(path: string, ms: number): boolean {
  try {
    return Date.now() - lstatSync(path).mtimeMs < ms;
  } catch {
    return false;
  }
}

/** Removes the stale lock whose text was `seen`; false if it was not there to remove. */
function takeOver(path: string, seen: string): boolean {
  const aside = asideOf(path);
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false; // another run took it over
    throw error;
  }
  const moved = readLock(aside);
  if (moved !== undefined && moved !== seen) {
    // A live run took the lock between the read and the rename: give it back (unless a third
    // run holds it by now).
    create(path, moved);
  }
  try {
    unlinkSync(aside);
  } catch {
    // removed meanwhile by another run taking over, or by the run that holds the lock now
  }
  return moved === seen;
}

/** Removes the lock if it is still this one's (a run that thought it stale would have moved it). */
function release(path: string, contents: string): void {
  if (readLock(path) !== contents) return;
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
