import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Owner, tryLock, waitForLock } from "../lock.js";
import { type FetchInfo, fetchTemplate } from "./fetch.js";
import { TemplateError } from "./manifest.js";
import type { TemplateSource } from "./source.js";

/**
 * The cache of fetched templates, `<cache>/templates/`: one entry per source as given,
 * `<key>/fetched.json` and `<key>/template/` (its manifest and files/ only). An entry is fetched
 * into `.fetch-<key>-<random>/`, checked, then renamed into place, all under the entry's lock
 * (`<key>.lock`, src/lock.ts), which readers take too: a run never sees half an entry, and two runs
 * never fetch one entry at once. A fetch folder whose lock nobody holds is left by a killed run,
 * and the next fetch removes it.
 */

export interface RemoteOptions {
  offline: boolean;
  env: NodeJS.ProcessEnv;
  /** The cache folder of fetched templates. */
  templatesCache: string;
  timeoutMs: number;
  /** When this run started (ms since the epoch): a copy fetched since, by another run, is as fresh as a fetch. */
  startedAt: number;
  /** Says that the run waits for another one (one line, for stderr). */
  notice: (line: string) => void;
}

export interface Remote<T> {
  /** What `read` made of the template's folder. */
  value: T;
  info: FetchInfo;
  /** Served from the cache rather than the network. */
  cached: boolean;
}

/**
 * How long past its fetch's time limit a run may hold an entry's lock (unpacking, checking,
 * renaming). A lock is stale once its owner is gone, but an entry's is also taken for at most that
 * long: a run that hangs or is stopped holding it, or one killed on another host or in a container
 * sharing the cache (whose owner cannot be checked), would otherwise keep every later run waiting
 * for ever. So a second run waits at most the fetch's time limit and this margin, then takes the
 * entry over. A run stopped that long which then goes on may still replace the entry, but its
 * release leaves the new lock alone.
 */
const HOLD_MARGIN_MS = 60_000;
/** Fetch folders from before entries had locks (create-agentcore 0.1.0) are removed once this old. */
const UNLOCKED_LEFTOVER_MS = 60 * 60 * 1000;

const entryKey = (source: TemplateSource & { kind: "remote" }) =>
  createHash("sha256").update(source.given).digest("hex").slice(0, 24);

/**
 * The template `source` names, from the cache or the network as the options say, given to `read`
 * (which checks it: only a template that passes is cached) while the entry is locked.
 */
export async function remoteTemplate<T>(
  source: TemplateSource & { kind: "remote" },
  options: RemoteOptions,
  read: (dir: string) => T,
): Promise<Remote<T>> {
  try {
    return await lockedRemote(source, options, read);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof TemplateError || typeof code !== "string") throw error;
    throw new TemplateError(
      `--template ${source.given}: cannot use the cache folder ${options.templatesCache} (${code}); free some space, or set CREATE_AGENTCORE_CACHE_DIR to a folder of yours`,
    );
  }
}

async function lockedRemote<T>(
  source: TemplateSource & { kind: "remote" },
  options: RemoteOptions,
  read: (dir: string) => T,
): Promise<Remote<T>> {
  const root = options.templatesCache;
  const key = entryKey(source);
  const entry = join(root, key);
  if (options.offline && !existsSync(entry)) throw notCached(source);
  makeFolder(root);
  const lock = await waitForLock(join(root, `${key}.lock`), null, {
    holdMs: options.timeoutMs + HOLD_MARGIN_MS,
    waiting: (owner) => options.notice(`waiting: ${ownerName(owner)} is fetching ${source.given}`),
  });
  try {
    const copy = cachedCopy(entry, source);
    // A full commit id names one tree forever: the cached copy is that tree.
    const immutable = source.ref !== undefined && /^[0-9a-f]{40}$/.test(source.ref);
    if (options.offline && !copy) throw notCached(source);
    if (copy && (options.offline || immutable || copy.fetchedAt >= options.startedAt))
      return { value: read(join(entry, "template")), info: copy.info, cached: true };

    removeAbandoned(root, key, options.timeoutMs + HOLD_MARGIN_MS);
    const staging = join(root, `.fetch-${key}-${randomBytes(6).toString("hex")}`);
    mkdirSync(staging, { mode: 0o755 });
    try {
      const info = await fetchTemplate(source, join(staging, "template"), {
        env: options.env,
        timeoutMs: options.timeoutMs,
        cachedHint: copy ? "; a copy fetched earlier is cached: add --offline to use it" : "",
      });
      const value = read(join(staging, "template"));
      writeFileSync(join(staging, "fetched.json"), `${JSON.stringify({ source: source.given, ...info }, null, 2)}\n`);
      // The old entry leaves under a fetch folder's name, so a run killed right here leaves only that to remove.
      if (existsSync(entry)) renameSync(entry, `${staging}-old`);
      renameSync(staging, entry);
      rmSync(`${staging}-old`, { recursive: true, force: true });
      return { value, info, cached: false };
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  } finally {
    lock.release();
  }
}

/** mkdir -p, failing with the reason (Node's recursive mkdir says ENOENT for a read-only disk). */
function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    let missing = dir;
    while (!existsSync(dirname(missing))) missing = dirname(missing);
    mkdirSync(missing, { mode: 0o755 }); // throws the reason
    throw error;
  }
}

function notCached(source: TemplateSource & { kind: "remote" }): TemplateError {
  return new TemplateError(
    `--template ${source.given}: --offline, and it is not in the cache; run once with the network to cache it`,
  );
}

function ownerName(owner: Owner | undefined): string {
  return owner ? `another create-agentcore run (pid ${owner.pid} on ${owner.host})` : "another create-agentcore run";
}

/** The cached copy of `source` at `entry`, if there is a complete one. */
function cachedCopy(
  entry: string,
  source: TemplateSource & { kind: "remote" },
): { info: FetchInfo; fetchedAt: number } | undefined {
  try {
    const meta = join(entry, "fetched.json");
    const data = JSON.parse(readFileSync(meta, "utf8")) as { source?: string; commit?: string };
    if (data.source !== source.given || !existsSync(join(entry, "template"))) return undefined;
    return { info: data.commit ? { commit: data.commit } : {}, fetchedAt: statSync(meta).mtimeMs };
  } catch {
    return undefined;
  }
}

/**
 * Removes the fetch folders of killed runs: ours (we hold its lock), and other entries' whose lock
 * nobody live holds. Folders from before locks existed go once they are an hour old.
 */
function removeAbandoned(root: string, ownKey: string, holdMs: number): void {
  for (const name of readdirSync(root)) {
    const key = /^\.fetch-([0-9a-f]{24})-/.exec(name)?.[1];
    const path = join(root, name);
    if (key === ownKey) rmSync(path, { recursive: true, force: true });
    else if (key !== undefined) {
      const lock = tryLock(join(root, `${key}.lock`), null, { holdMs });
      if (!("release" in lock)) continue;
      try {
        rmSync(path, { recursive: true, force: true });
      } finally {
        lock.release();
      }
    } else if (/^\.fetch-[0-9a-f]{12}$|^[0-9a-f]{24}\.old-[0-9a-f]{8}$/.test(name)) {
      try {
        if (Date.now() - statSync(path).mtimeMs > UNLOCKED_LEFTOVER_MS) rmSync(path, { recursive: true, force: true });
      } catch {}
    }
  }
}
