import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from "node:fs";
import * as nodeModule from "node:module";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";

/**
 * Lets V8 reuse the code it compiled for this package's chunks on the runs after the first, as
 * `module.enableCompileCache()` does on Node 22.1 and later: most of a run's own time is V8
 * compiling the bundle. Best effort: without a cache, or if V8 rejects it (another Node, other V8
 * flags), a chunk is compiled as usual.
 *
 * Returns `keep`, to call once the run has generated a project: only then is the code compiled
 * without a usable cache written, at exit, so that the cache holds what a generating run compiles
 * (V8 caches only the functions that ran), not what `--help` or a typo compiled first.
 *
 * Only files in `chunksDir` are cached, keyed by file name: esbuild names each chunk after a hash
 * of its contents, so a changed chunk never meets an old cache. NODE_DISABLE_COMPILE_CACHE=1 turns
 * it off, as it does Node's own cache.
 *
 * V8 takes a cache made from any source of the same length, so a cache file is code: it is used
 * only if it, its folder and the folders above it up to the cache folder belong to this user and
 * no one else can write them; otherwise the cache is ignored, silently.
 */
export function enableCompileCache(cacheDir: string, chunksDir: string, env: NodeJS.ProcessEnv): () => void {
  const nothing = () => {};
  if (env.NODE_DISABLE_COMPILE_CACHE) return nothing;
  const nodeOwn = (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  const dir = join(cacheDir, nodeOwn ? "node" : `v8-${process.version}-${process.arch}`);
  if (![dir, cacheDir, dirname(cacheDir)].every(folderIsOurs)) return nothing;
  if (nodeOwn) {
    nodeOwn(dir); // Node's own, which writes at exit by itself
    return nothing;
  }
  const uncached: { script: Script; cacheFile: string }[] = [];

  // Node 20 compiles every CommonJS file in Module.prototype._compile; this takes over for the
  // package's chunks, doing what Node does but through a vm.Script that can take and give a cache.
  const prototype = nodeModule.Module.prototype as unknown as Compiling;
  const compile = prototype._compile;
  prototype._compile = function (this: Compiling, content: string, filename: string) {
    if (dirname(filename) !== chunksDir) return compile.call(this, content, filename);
    const cacheFile = join(dir, `${basename(filename)}.cache`);
    const script = new Script(nodeModule.Module.wrap(content), { filename, cachedData: readCache(cacheFile) });
    if (script.cachedDataRejected !== false) uncached.push({ script, cacheFile });
    const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, nodeModule.createRequire(filename), this, filename, chunksDir);
  };

  // At exit, so the cache holds every function this run compiled, not only the top level.
  const write = () => {
    if (uncached.length === 0) return;
    let unrenamed: string | undefined;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      forgetOldChunks(dir, chunksDir);
      for (const { script, cacheFile } of uncached) {
        // Written beside it, then renamed: a run starting meanwhile reads the old cache or the new.
        const partial = `${cacheFile}.${process.pid}`;
        writeFileSync(partial, script.createCachedData(), { mode: 0o644 });
        unrenamed = partial;
        renameSync(partial, cacheFile);
        unrenamed = undefined;
      }
    } catch {
      // A read-only or full disk, or a folder in the cache file's place: later runs go without a
      // cache, as this one did, and no partial file is left behind.
      try {
        if (unrenamed) rmSync(unrenamed, { force: true });
      } catch {
        // as above
      }
    }
  };
  return () => {
    process.removeListener("exit", write); // once, however often it is called
    process.once("exit", write);
  };
}

interface Compiling {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}

/** Removes the caches of chunks this build does not have (an earlier version's). */
function forgetOldChunks(dir: string, chunksDir: string): void {
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".cjs.cache") && !existsSync(join(chunksDir, name.slice(0, -".cache".length))))
      rmSync(join(dir, name), { force: true });
  }
}

/**
 * A cache file's bytes, if it is a regular file that is ours alone: checked on the open file, so it
 * cannot be swapped between, and opened without blocking (a FIFO there would hang the run forever).
 */
function readCache(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stat = fstatSync(fd);
    return stat.isFile() && isOurs(stat) ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const uid = process.getuid?.();

/** Owned by this user and writable by no one else. (Windows has no such bits; its ACLs decide.) */
function isOurs(stat: Stats): boolean {
  return uid === undefined || (stat.uid === uid && (stat.mode & 0o022) === 0);
}

/** A folder that is ours, or not there yet (this run creates it, 0755). */
function folderIsOurs(dir: string): boolean {
  try {
    return isOurs(statSync(dir));
  } catch {
    return true;
  }
}
