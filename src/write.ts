import {
  accessSync,
  constants,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  type Stats,
  statfsSync,
  statSync,
} from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { quoted } from "./escape.js";
import { cause, errorCode } from "./fs-errors.js";
import type { PlannedFile } from "./layer.js";
import { type Lock, tryLock } from "./lock.js";
import {
  isWorkingName,
  lockName,
  type Move,
  parentsName,
  pausePoint,
  type Recovered,
  RecoveryFailed,
  recoverBeside,
  recoverExisting,
  removeQuietly,
  stageFiles,
  stagingName,
  UndoFailed,
  writeIntoExisting,
} from "./transaction.js";

/**
 * Writes a project: into a new folder, or into an existing one as a transaction (transaction.ts),
 * under a lock per target (lock.ts), so that a failure leaves the target as it was, a kill leaves
 * nothing the next run does not finish or undo, and of two runs on one target one wins and the
 * other gets one line. Only the plan's own files are created or replaced; nothing else is touched.
 *
 * The checks that need no writing (inspectTarget, preflight) are the same for a real run and for
 * --dry-run, so a plan that would fail fails there too. Every file-system failure becomes a
 * WriteError: one line, exit code 2.
 */

/** What the target directory holds before anything is written. */
export interface TargetState {
  exists: boolean;
  /** Nothing in it but perhaps `.git`. */
  empty: boolean;
  /** Planned paths that already exist there. */
  existing: string[];
}

/** How to treat planned files that already exist. Nothing else in the directory is ever touched. */
export type ExistingFiles = "skip" | "overwrite";

export interface WriteResult {
  written: string[];
  /** Existing files the written ones replace. */
  replaced: string[];
  /** Existing files kept as they were ("skip"). */
  skipped: string[];
}

export class WriteError extends Error {}

/** Bytes in one name on the usual file systems (ext4, APFS, NTFS). */
const NAME_MAX = 255;
/** The longest path the system takes, where it is known (Linux's PATH_MAX less its NUL; macOS). */
const PATH_MAX: number | undefined = { linux: 4095, darwin: 1023 }[process.platform as string];

function statOf(path: string, follow = false): Stats | undefined {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw error;
  }
}

/** A path or name for a message: as it is when plainly printable, else quoted (one line, always). */
const shown = (path: string) => (/^[\x21-\x7e]+$/.test(path) && !/["\\]/.test(path) ? path : quoted(path));

/** A folder outside the project, for a message: relative to the current folder when inside it. */
function outsidePath(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return shown(fromHere && !fromHere.startsWith("..") ? fromHere : path);
}

/** The first few paths of a list, for a message. */
export function listed(paths: string[], most = 5): string {
  const names = paths.slice(0, most).map(shown).join(", ");
  return paths.length > most ? `${names} and ${paths.length - most} more` : names;
}

/** The key of a new folder's lock and staging folder beside it: a hash of its name, case folded (as macOS and Windows compare names). */
function childKey(root: string): string {
  return shortHash(basename(root));
}

/** A short name-safe key for a path or name, the same for any case or Unicode form of it. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5; // FNV-1a: node:crypto would cost milliseconds to load
  for (const char of text.normalize("NFC").toLowerCase()) {
    hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** Refuses a plan the file system cannot hold before anything is written: clashing or overlong names. */
function checkPlanPaths(files: PlannedFile[]): void {
  const paths = new Set(files.map((file) => file.path));
  for (const { path } of files) {
    const parts = path.split("/");
    if (isWorkingName(parts[0]!))
      throw new WriteError(
        `cannot write ${shown(path)}: names starting with .create-agentcore- are create-agentcore's working files`,
      );
    for (const part of parts) {
      const bytes = Buffer.byteLength(part);
      if (bytes > NAME_MAX)
        throw new WriteError(
          `cannot write ${shown(path)}: a name of ${bytes} bytes; file systems take at most ${NAME_MAX}`,
        );
    }
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join("/");
      if (paths.has(folder))
        throw new WriteError(
          `cannot write ${shown(folder)}: the project also has ${shown(path)}, inside a folder of that name`,
        );
    }
  }
}

/** The nearest folder at or above `path` that exists; a file in the way is an error. */
function nearestFolder(path: string, directory: string): string {
  for (let dir = path; ; dir = dirname(dir)) {
    let stat: Stats | undefined;
    try {
      stat = statOf(dir, true);
    } catch (error) {
      if (errorCode(error) !== "ENOTDIR") throw error;
    }
    if (stat?.isDirectory()) return dir;
    if (stat) throw new WriteError(`cannot create ${directory}: ${outsidePath(dir)} is not a directory`);
    if (dirname(dir) === dir) return dir;
  }
}

/** Turns a file-system failure inside `work` into a one-line WriteError about `directory`. */
function oneLine<T>(directory: string, root: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RecoveryFailed) {
      throw new WriteError(
        `${directory} holds the half-moved files of an interrupted run, which could be neither finished nor undone: ${cause(error.failure)}; they stay in ${shown(error.staging)} for the next run`,
      );
    }
    if (error instanceof UndoFailed) {
      throw new WriteError(
        `cannot write ${directory}${where(error.failure, root)}: ${cause(error.failure)}, and undoing the changes failed too: ${cause(error.undoFailure)}; the next run on ${directory} finishes undoing them`,
      );
    }
    if (error instanceof WriteError || !errorCode(error)) throw error;
    throw new WriteError(`cannot write ${directory}${where(error, root)}: ${cause(error)}; nothing was written`);
  }
}

/** The project path (or outside folder) a failure was about, as " (path)", or "" for the target itself. */
function where(error: unknown, root: string): string {
  const path = (error as NodeJS.ErrnoException).path;
  if (!path) return "";
  let parts = relative(dirname(root), path).split(sep);
  if (parts[0] === "..") return ` (${outsidePath(path)})`;
  if (parts[0] === basename(root)) {
    parts = parts.slice(1);
    // A staging folder inside the target keeps the new files in new/ and the replaced ones in old/.
    if (parts[0] !== undefined && isWorkingName(parts[0])) parts = parts.slice(2);
  } else if (parts[0] !== undefined && isWorkingName(parts[0])) {
    parts = parts.slice(1);
  } else {
    return ` (${outsidePath(path)})`;
  }
  return parts.length > 0 && parts[0] !== "" ? ` (${shown(parts.join("/"))})` : "";
}

/**
 * Looks at the target before writing and refuses the cases no answer can make safe: a plan the
 * file system cannot hold, a target that is a symbolic link or a file, a planned file whose place
 * is taken by a directory, or a path that would pass through a file or a symbolic link (which
 * could lead outside the project).
 */
export function inspectTarget(directory: string, files: PlannedFile[]): TargetState {
  checkPlanPaths(files);
  const root = resolve(directory);
  return oneLine(directory, root, () => {
    for (const part of root.split(sep)) {
      const bytes = Buffer.byteLength(part);
      if (bytes > NAME_MAX)
        throw new WriteError(
          `cannot create ${directory}: a name of ${bytes} bytes; file systems take at most ${NAME_MAX}`,
        );
    }
    let rootStat: Stats | undefined;
    try {
      rootStat = statOf(root);
    } catch (error) {
      if (errorCode(error) !== "ENOTDIR") throw error;
    }
    if (!rootStat) {
      nearestFolder(dirname(root), directory);
      return { exists: false, empty: true, existing: [] };
    }
    if (rootStat.isSymbolicLink())
      throw new WriteError(
        `${directory} is a symbolic link (to ${shown(readlinkSync(root))}): give the folder it points to, or another name`,
      );
    if (!rootStat.isDirectory()) throw new WriteError(`${directory} exists and is not a directory`);
    const empty = readdirSync(root).every((entry) => entry === ".git" || isWorkingName(entry));
    const stats = new Map<string, Stats | undefined>();
    const at = (path: string) => {
      if (!stats.has(path)) stats.set(path, statOf(join(root, path)));
      return stats.get(path);
    };
    const existing: string[] = [];
    for (const { path } of files) {
      const parts = path.split("/");
      let depth = 1;
      for (; depth < parts.length; depth++) {
        const stat = at(parts.slice(0, depth).join("/"));
        if (!stat) break;
        if (!stat.isDirectory()) {
          const what = stat.isSymbolicLink() ? "a symbolic link" : "not a directory";
          throw new WriteError(`cannot write ${path}: ${parts.slice(0, depth).join("/")} is ${what}`);
        }
      }
      if (depth < parts.length) continue;
      const stat = at(path);
      if (stat?.isDirectory()) throw new WriteError(`cannot write ${path}: a directory of that name exists`);
      if (stat) existing.push(path);
    }
    return { exists: true, empty, existing };
  });
}

interface Prepared {
  result: WriteResult;
  toWrite: PlannedFile[];
  moves: Move[];
}

/**
 * What a write would do, checked without writing anything: the folders it writes into are
 * writable, the paths it uses (its staging folder's included) are not too long, and the file
 * system has room for the files. The same checks for --dry-run and for a real run.
 */
export function preflight(
  directory: string,
  files: PlannedFile[],
  state: TargetState,
  mode: ExistingFiles,
): WriteResult {
  return prepare(directory, files, state, mode).result;
}

function prepare(directory: string, files: PlannedFile[], state: TargetState, mode: ExistingFiles): Prepared {
  const root = resolve(directory);
  const kept = new Set(mode === "skip" ? state.existing : []);
  const toWrite = files.filter((file) => !kept.has(file.path));
  const replaced = new Set(mode === "overwrite" ? state.existing : []);
  const result = { written: toWrite.map((file) => file.path), replaced: [...replaced], skipped: [...kept] };
  return oneLine(directory, root, () => {
    const moves = state.exists ? movesInto(root, toWrite, replaced) : [];
    const into = state.exists
      ? [root, ...moves.map((move) => dirname(join(root, move.path)))]
      : [nearestFolder(dirname(root), directory)];
    const longest = toWrite.reduce((path, file) => (file.path.length > path.length ? file.path : path), "");
    const stagedLongest = state.exists
      ? join(root, stagingName("self"), "new", longest)
      : join(dirname(root), stagingName(childKey(root)), longest);
    const bytes = Buffer.byteLength(stagedLongest);
    if (PATH_MAX !== undefined && bytes > PATH_MAX)
      throw new WriteError(
        `cannot write ${directory}: ${shown(longest)} would need a path of ${bytes} bytes while it is written; this system takes at most ${PATH_MAX}`,
      );
    for (const dir of new Set(into)) accessSync(dir, constants.W_OK | constants.X_OK);
    checkSpace(into[0]!, toWrite, replaced.size, directory);
    return { result, toWrite, moves };
  });
}

/** The renames that put the files into the existing folder `root`: a folder it lacks moves whole. */
function movesInto(root: string, files: PlannedFile[], replaced: Set<string>): Move[] {
  const moves: Move[] = [];
  const movedFolders = new Set<string>();
  const exists = new Map<string, boolean>();
  const present = (path: string) => {
    if (!exists.has(path)) exists.set(path, statOf(join(root, path)) !== undefined);
    return exists.get(path)!;
  };
  for (const { path } of files) {
    const parts = path.split("/");
    const missing = parts.findIndex(
      (_, depth) => depth < parts.length - 1 && !present(parts.slice(0, depth + 1).join("/")),
    );
    if (missing === -1) {
      moves.push({ path, ...(replaced.has(path) && { replaces: true as const }) });
      continue;
    }
    const folder = parts.slice(0, missing + 1).join("/");
    if (!movedFolders.has(folder)) {
      movedFolders.add(folder);
      moves.push({ path: folder, dir: true });
    }
  }
  return moves;
}

/**
 * Refuses a write the file system has no room for, as far as statfs can tell (a rough count of
 * blocks and inodes, only where the file system reports them); the write itself still handles
 * ENOSPC, undoing what it did.
 */
function checkSpace(dir: string, files: PlannedFile[], replacedCount: number, directory: string): void {
  let fs: ReturnType<typeof statfsSync>;
  try {
    fs = statfsSync(dir);
  } catch {
    return; // no statfs here: the write itself will tell
  }
  const folders = new Set(
    files.flatMap(({ path }) => path.split("/").map((_, i, parts) => parts.slice(0, i).join("/"))),
  );
  const blocks =
    files.reduce((sum, file) => sum + Math.ceil(Buffer.byteLength(file.contents) / fs.bsize), 0) + folders.size + 2;
  const free = process.getuid?.() === 0 ? fs.bfree : fs.bavail;
  const kib = (count: number) => `${Math.ceil((count * fs.bsize) / 1024)} KiB`;
  if (fs.blocks > 0 && free < blocks)
    throw new WriteError(
      `cannot write ${directory}: no space left on the device (ENOSPC): the project needs about ${kib(blocks)}, ${kib(free)} are free; nothing was written`,
    );
  const inodes = files.length + folders.size + replacedCount + 3;
  if (fs.files > 0 && fs.ffree < inodes)
    throw new WriteError(
      `cannot write ${directory}: no space left on the device (ENOSPC): the project needs ${inodes} files and folders, the file system has room for ${fs.ffree}; nothing was written`,
    );
}

const RECOVERED: Record<Recovered, (directory: string) => string> = {
  finished: (directory) => `finished moving the files of an interrupted run into ${directory}`,
  undone: (directory) => `undid the changes an interrupted run had begun in ${directory}`,
  removed: (directory) => `removed the unfinished files an interrupted run left for ${directory}`,
};

/** A target under this run's lock, with what an interrupted run left there recovered. */
export interface OpenTarget {
  readonly state: TargetState;
  /** One line for each interrupted run's leftovers finished, undone or removed. */
  readonly recovered: string[];
  /** Writes the files; once only. */
  write(mode: ExistingFiles): WriteResult;
  /** Releases the lock; if nothing was written, removes the parent folders the run created. */
  release(): void;
}

interface LockData {
  /**
   * How many folders, from the lock's own up, the run created: removed again if it writes
   * nothing. A count, not paths, so the lock stays small however deep the folder.
   */
  createdLevels: number;
}

/**
 * Takes the target's lock (a run already writing there is one line, exit 2), then recovers what
 * an interrupted run left there and looks at the target. A new folder's parents are created
 * first, as the lock goes beside it.
 */
export function openTarget(directory: string, files: PlannedFile[]): OpenTarget {
  const root = resolve(directory);
  for (;;) {
    const state = inspectTarget(directory, files);
    const opened = oneLine(directory, root, () =>
      state.exists ? openExisting(directory, root, files) : openNew(directory, root, files, state),
    );
    if (opened) return opened;
  }
}

function takeLock(
  path: string,
  directory: string,
  data: LockData,
  inherit?: (previous: LockData) => LockData,
): Lock<LockData> {
  const lock = tryLock(path, data, { inherit });
  if ("release" in lock) return lock;
  const who = lock.owner ? `pid ${lock.owner.pid}${lock.checkable ? "" : ` on ${shown(lock.owner.host)}`}` : "starting";
  const remedy = lock.checkable
    ? "try again when it has finished"
    : `if no run is going on there, remove ${shown(path)}`;
  throw new WriteError(`${directory} is being written by another create-agentcore run (${who}); ${remedy}`);
}

function openExisting(directory: string, root: string, files: PlannedFile[]): OpenTarget {
  const lock = takeLock(join(root, lockName("self")), directory, { createdLevels: 0 });
  try {
    const recovered = [...recoverExisting(root), ...recoverBesideIfStale(root)];
    // Looked at again under the lock: a run that held it before may have written there.
    const state = inspectTarget(directory, files);
    return opened({ directory, root, files, state, lock, recovered, createdLevels: 0 }, (toWrite, moves) =>
      writeIntoExisting(root, toWrite, moves),
    );
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** `state` is the look at the target before the lock: still true under it if the folder is still not there. */
function openNew(directory: string, root: string, files: PlannedFile[], state: TargetState): OpenTarget | undefined {
  const parent = dirname(root);
  // The check --dry-run makes, so that a folder the user may not write in is named the same way.
  accessSync(nearestFolder(parent, directory), constants.W_OK | constants.X_OK);
  const key = childKey(root);
  const missing = missingFolders(parent);
  let lock: Lock<LockData> | undefined;
  if (missing.length > 0) {
    lock = makeParents(missing, root, key, directory);
    if (!lock) return undefined; // another run made the topmost folder meanwhile: look again
  } else {
    // A killed run's parents become this run's: removed if this one writes nothing either.
    const inherit = (previous: LockData) => ({
      createdLevels: Math.min(Number(previous.createdLevels) || 0, parent.split(sep).length - 1),
    });
    lock = takeLock(join(parent, lockName(key)), directory, { createdLevels: 0 }, inherit);
  }
  try {
    if (statOf(root)) {
      // Created between the look and the lock: start again, as an existing folder.
      lock.release();
      removeParents(parent, lock.data.createdLevels);
      return undefined;
    }
    const recovered = recoverBeside(parent, key);
    const { createdLevels } = lock.data;
    return opened({ directory, root, files, state, lock, recovered, createdLevels }, (toWrite) => {
      const staging = join(parent, stagingName(key));
      mkdirSync(staging);
      try {
        stageFiles(staging, toWrite);
        pausePoint("moving");
        renameSync(staging, root);
      } catch (error) {
        removeQuietly(staging);
        throw error;
      }
      pausePoint("cleaning up");
    });
  } catch (error) {
    lock.release();
    removeParents(parent, lock.data.createdLevels);
    throw error;
  }
}

/**
 * A run killed just after it renamed a new folder into place leaves its lock beside the folder
 * (the folder is complete). Removed once its owner is gone, if the parent folder lets us; one
 * lstat when there is none.
 */
function recoverBesideIfStale(root: string): Recovered[] {
  const parent = dirname(root);
  const key = childKey(root);
  if (!statOf(join(parent, lockName(key)))) return [];
  let lock: ReturnType<typeof tryLock<LockData>>;
  try {
    lock = tryLock<LockData>(join(parent, lockName(key)), { createdLevels: 0 });
  } catch {
    return []; // a parent folder we may not write in: the leftover stays, harmless
  }
  if (!("release" in lock)) return [];
  try {
    return recoverBeside(parent, key);
  } finally {
    lock.release();
  }
}

interface Opened {
  directory: string;
  root: string;
  files: PlannedFile[];
  state: TargetState;
  lock: Lock<LockData>;
  recovered: Recovered[];
  createdLevels: number;
}

function opened(
  { directory, root, files, state, lock, recovered, createdLevels }: Opened,
  writeFiles: (toWrite: PlannedFile[], moves: Move[]) => void,
): OpenTarget {
  let written = false;
  let released = false;
  return {
    state,
    recovered: recovered.map((what) => RECOVERED[what](directory)),
    write(mode) {
      if (written) throw new Error("a target is written once");
      const { result, toWrite, moves } = prepare(directory, files, state, mode);
      oneLine(directory, root, () => writeFiles(toWrite, moves));
      written = true;
      return result;
    },
    release() {
      if (released) return;
      released = true;
      try {
        lock.release();
      } catch {
        // A lock left behind is stale once this run has ended: the next run takes it over.
      }
      if (!written) removeParents(dirname(lock.path), createdLevels);
    },
  };
}

/** The folders missing down to `dir`, topmost first. */
function missingFolders(dir: string): string[] {
  const missing: string[] = [];
  for (let path = dir; !statOf(path); path = dirname(path)) missing.unshift(path);
  return missing;
}

/**
 * Makes the `missing` folders down to the parent of `root` (a new target) so that no kill leaves
 * them without a lock that records them: a lock beside the topmost first, then the folders under a
 * working name (`parentsName`), the lock moved into the deepest of them, and one rename that puts
 * them in place with the lock in them. A killed run's leftovers at each step are found by their
 * names and removed once its lock is stale. Returns the target's lock, holding how many folders it
 * made, or undefined when another run made the topmost folder meanwhile.
 */
function makeParents(missing: string[], root: string, key: string, directory: string): Lock<LockData> | undefined {
  const parent = dirname(root);
  const top = missing[0]!;
  const beside = dirname(top);
  const below = relative(top, parent); // "" when only the parent is missing
  // Per target, not per folder: two new targets under the same missing folders race by rename.
  const pathKey = shortHash(relative(beside, root));
  const working = join(beside, parentsName(pathKey));
  const createdLevels = missing.length;
  const intent = takeLock(join(beside, lockName(`parents-${pathKey}`)), directory, { createdLevels });
  let lock: Lock<LockData> | undefined;
  let made = false;
  try {
    removeUnfinishedParents(working, below, createdLevels, key, directory);
    mkdirSync(join(working, below), { recursive: true });
    made = true;
    pausePoint("making parents");
    const inside = join(working, below, lockName(key));
    renameSync(intent.path, inside);
    lock = intent.at(inside);
    pausePoint("placing parents");
    try {
      renameSync(working, top);
    } catch (error) {
      if (!["EEXIST", "ENOTEMPTY"].includes(errorCode(error) ?? "")) throw error;
      lock.release();
      removeParents(join(working, below), createdLevels);
      return undefined;
    }
    return lock.at(join(parent, lockName(key)));
  } catch (error) {
    (lock ?? intent).release();
    if (made) removeParents(join(working, below), createdLevels);
    throw error;
  }
}

/**
 * A killed run's folders under their working name (`levels` of them, the working one first):
 * removed once the lock in them (if it got that far) is stale; a live one there means another run
 * is about to put them in place.
 */
function removeUnfinishedParents(working: string, below: string, levels: number, key: string, directory: string) {
  if (!statOf(working)) return;
  const inside = join(working, below, lockName(key));
  if (statOf(inside)) takeLock(inside, directory, { createdLevels: 0 }).release();
  removeParents(join(working, below), levels);
}

/** Removes `levels` folders a run created, from `dir` up, as long as they are empty. */
function removeParents(dir: string, levels: number): void {
  for (let level = 0, path = dir; level < levels; level++, path = dirname(path)) {
    try {
      rmdirSync(path);
    } catch {
      return; // not empty (someone else's now) or gone: keep the rest
    }
  }
}

/** Writes a plan in one go: lock, recover, write, release (what the CLI does, without its questions). */
export function writePlan(directory: string, files: PlannedFile[], mode: ExistingFiles): WriteResult {
  const target = openTarget(directory, files);
  try {
    return target.write(mode);
  } finally {
    target.release();
  }
}
