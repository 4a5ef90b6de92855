import { randomBytes } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync, rmSync, statSync, writeSync } from "node:fs";
import { hostname } from "node:os";

/**
 * A lock file per cache entry, so two runs never fetch into, replace or read one entry at once.
 * Node has no flock(), so it is a file created with O_EXCL holding who took it and until when:
 * a lock whose holder is gone (a killed run: its pid no longer lives on this host) or whose time
 * is up is stale, and the next run breaks it. Breaking is itself guarded by an O_EXCL file, so
 * two runs that both find a stale lock cannot remove a new one by mistake.
 */

export interface Holder {
  pid: number;
  host: string;
  /** Past this time (ms since the epoch) the lock is stale whoever holds it. */
  until: number;
  nonce: string;
}

interface Seen {
  holder: Holder | undefined;
  ino: number;
  mtimeMs: number;
}

/** A lock file that stays unreadable (its writer was killed between creating and writing it) this long is stale. */
const UNWRITTEN_MS = 10_000;

/** Takes the lock at `path` for at most `holdMs`, waiting while a live run holds it; returns its release. */
export async function lock(
  path: string,
  holdMs: number,
  waiting: (holder: Holder | undefined) => void,
): Promise<() => void> {
  let told = false;
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    const release = tryLock(path, holdMs);
    if (release) return release;
    if (!told) {
      told = true;
      waiting(seen(path)?.holder);
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** Takes the lock at `path` if nobody live holds it (a stale one is broken first); else undefined. */
export function tryLock(path: string, holdMs: number): (() => void) | undefined {
  for (let attempt = 0; attempt < 3; attempt++) {
    const nonce = randomBytes(8).toString("hex");
    const mine: Holder = { pid: process.pid, host: hostname(), until: Date.now() + holdMs, nonce };
    let fd: number;
    try {
      fd = openSync(path, "wx", 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const held = seen(path);
      if (held === undefined) continue; // released meanwhile: try again
      if (!isStale(held)) return undefined;
      breakStale(path, held);
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(mine));
    } finally {
      closeSync(fd);
    }
    return () => {
      try {
        if (seen(path)?.holder?.nonce === nonce) rmSync(path, { force: true });
      } catch {
        // Left behind, it is stale once this process has exited.
      }
    };
  }
  return undefined;
}

function seen(path: string): Seen | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    const buffer = Buffer.alloc(512);
    const text = buffer.subarray(0, readSync(fd, buffer)).toString("utf8");
    let holder: Holder | undefined;
    try {
      const data = JSON.parse(text) as Partial<Holder>;
      if (typeof data.pid === "number" && typeof data.host === "string" && typeof data.until === "number")
        holder = data as Holder;
    } catch {
      holder = undefined;
    }
    return { holder, ino: stat.ino, mtimeMs: stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

function isStale({ holder, mtimeMs }: Seen): boolean {
  if (!holder) return Date.now() - mtimeMs > UNWRITTEN_MS;
  if (Date.now() > holder.until) return true;
  return holder.host === hostname() && !isAlive(holder.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
}

/** Removes the stale lock `held`, unless another run is breaking it or has already replaced it. */
function breakStale(path: string, held: Seen): void {
  const breaker = `${path}.break`;
  try {
    closeSync(openSync(breaker, "wx"));
  } catch {
    // Another run is breaking it; a breaker left by a run killed right then is old.
    try {
      if (Date.now() - statSync(breaker).mtimeMs > UNWRITTEN_MS) rmSync(breaker, { force: true });
    } catch {}
    return;
  }
  try {
    const now = seen(path);
    if (now && now.ino === held.ino && now.holder?.nonce === held.holder?.nonce) rmSync(path, { force: true });
  } finally {
    rmSync(breaker, { force: true });
  }
}
