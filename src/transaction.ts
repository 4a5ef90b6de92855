import {
  lstatSync,
  mkdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { PlannedFile } from "./layer.js";
import { guardOf } from "./lock.js";

/**
 * Moving a project's files into a folder that already exists, as one transaction.
 *
 * Every file is first written into a staging folder inside the target (the same file system, so
 * each move is a rename). Then a journal is written beside the staged files: that is the commit
 * point. Then the files the project replaces are moved aside into the staging folder (backing up)
 * and the staged files and folders are moved into place (moving): renames only, which write no
 * data and need no new inode, so a disk filling up meanwhile can hardly stop them. A folder the
 * target lacks is moved whole. Last the journal and the staging folder are removed (cleaning up).
 *
 * A failure before the commit point removes the staging folder: the target is as it was. A
 * failure after it renames the journal to undo.json and moves everything back, restoring the
 * backups. A kill leaves the staging folder; the next run on the target (holding its lock, so the
 * killed run is known to be gone) finishes the journal's moves, continues an undo.json's undo, or
 * removes a staging folder with neither. Every step checks what is already done, so a recovery
 * that is itself killed is simply done again.
 */

/** One rename of the transaction: a file, or a whole folder the target does not have yet. */
export interface Move {
  path: string;
  dir?: true;
  /** A file of that name exists and is replaced: it is backed up first, and restored on undo. */
  replaces?: true;
}

interface Journal {
  moves: Move[];
}

const PREFIX = ".create-agentcore-";
const JOURNAL = "journal.json";
const UNDO = "undo.json";

/** The lock of a target: `self` for the folder the lock is in, or the key of a new folder beside it. */
export const lockName = (key: string) => `${PREFIX}lock-${key}`;

/**
 * The staging folder of a target. One name per target, not a fresh one per run: only the run
 * holding the target's lock stages there, and the next one finds a killed run's folder by its
 * name, without listing a folder that may hold thousands of entries.
 */
export const stagingName = (key: string) => `${PREFIX}staging-${key}`;

/**
 * The missing parent folders of a new target while they are made (`key` names the path they lead
 * to): made under this name beside the topmost, then renamed into place with the target's lock in
 * them, so they never stand without a lock that records them.
 */
export const parentsName = (key: string) => `${PREFIX}parents-${key}`;

/** Whether a directory entry is one of create-agentcore's working files (a lock, a staging folder). */
export const isWorkingName = (name: string) => name.startsWith(PREFIX);

/**
 * Test-only seam (CREATE_AGENTCORE_TEST_PAUSE=<phase>): at the middle of that phase, says so on
 * stderr and waits until a byte or the end of stdin, so a test can kill the run at a known moment
 * or act while it holds its lock.
 */
export function pausePoint(phase: string): void {
  if (process.env.CREATE_AGENTCORE_TEST_PAUSE !== phase) return;
  writeSync(2, `create-agentcore: paused at ${phase}\n`);
  const byte = Buffer.alloc(1);
  for (;;) {
    try {
      readSync(0, byte);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // a non-blocking stdin: wait for input
    }
  }
}

/** Removes a staging folder after a failure, which is what gets reported; a leftover goes at the next run. */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // the next run on the target removes it
  }
}

function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** Writes the files under `dir`, which exists, making their folders. */
export function stageFiles(dir: string, files: PlannedFile[]): void {
  const made = new Set<string>([dir]);
  const half = Math.floor(files.length / 2);
  files.forEach((file, index) => {
    if (index === half) pausePoint("staging");
    const path = join(dir, file.path);
    const parent = dirname(path);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(path, file.contents);
  });
}

/**
 * Writes `files` into the existing folder `root` as one transaction of `moves` (see above). On a
 * failure after the commit point that cannot be undone either, throws UndoFailed; the staging
 * folder is then left for the next run to finish undoing.
 */
export function writeIntoExisting(root: string, files: PlannedFile[], moves: Move[]): void {
  const staging = join(root, stagingName("self"));
  mkdirSync(staging);
  try {
    mkdirSync(join(staging, "new"));
    stageFiles(join(staging, "new"), files);
    for (const move of moves)
      if (move.replaces) mkdirSync(dirname(join(staging, "old", move.path)), { recursive: true });
    const temporary = join(staging, "journal.tmp");
    writeFileSync(temporary, JSON.stringify({ moves } satisfies Journal));
    pausePoint("journaling");
    renameSync(temporary, join(staging, JOURNAL));
  } catch (error) {
    removeQuietly(staging);
    throw error;
  }
  try {
    apply(root, staging, moves);
  } catch (error) {
    try {
      abandon(root, staging, moves);
    } catch (undoError) {
      throw new UndoFailed(error, undoError);
    }
    throw error;
  }
  cleanUp(staging, JOURNAL);
}

/** A failure after the commit point whose undo failed as well. */
export class UndoFailed extends Error {
  constructor(
    readonly failure: unknown,
    readonly undoFailure: unknown,
  ) {
    super("the changes could not be undone");
  }
}

/** Backs up what the moves replace, then makes the moves; each step only if not done yet. */
function apply(root: string, staging: string, moves: Move[]): void {
  const replacing = moves.filter((move) => move.replaces);
  replacing.forEach((move, index) => {
    if (index === Math.floor(replacing.length / 2)) pausePoint("backing up");
    const backup = join(staging, "old", move.path);
    const target = join(root, move.path);
    if (present(join(staging, "new", move.path)) && !present(backup) && present(target)) renameSync(target, backup);
  });
  moves.forEach((move, index) => {
    if (index === Math.floor(moves.length / 2)) pausePoint("moving");
    const staged = join(staging, "new", move.path);
    if (present(staged)) renameSync(staged, join(root, move.path));
  });
}

/** Turns the journal into an undo journal, moves everything back, removes the staging folder. */
function abandon(root: string, staging: string, moves: Move[]): void {
  if (present(join(staging, JOURNAL))) renameSync(join(staging, JOURNAL), join(staging, UNDO));
  undo(root, staging, moves);
  cleanUp(staging, UNDO);
}

/** Moves the moved files back into the staging folder and the backups back into place, last move first. */
function undo(root: string, staging: string, moves: Move[]): void {
  for (const move of [...moves].reverse()) {
    const staged = join(staging, "new", move.path);
    const target = join(root, move.path);
    const backup = join(staging, "old", move.path);
    if (!present(staged) && present(target)) renameSync(target, staged);
    if (move.replaces && present(backup) && !present(target)) renameSync(backup, target);
  }
}

/**
 * Removes the journal (from then on a leftover staging folder holds nothing to finish) and the
 * staging folder. The moves are done either way: if this fails, the next run does it again.
 */
function cleanUp(staging: string, journal: string): void {
  try {
    unlinkSync(join(staging, journal));
    pausePoint("cleaning up");
    rmSync(staging, { recursive: true, force: true });
  } catch {
    // as above
  }
}

/** A journal's moves, if it is one this code wrote: relative paths inside the target only. */
function readJournal(path: string): Move[] | undefined {
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(path, "utf8")) as Journal;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || error instanceof SyntaxError) return undefined;
    throw error;
  }
  const safe = (path: unknown) =>
    typeof path === "string" && path.split("/").every((part) => part !== "" && part !== "." && part !== "..");
  return Array.isArray(journal?.moves) && journal.moves.every((move) => safe(move?.path)) ? journal.moves : undefined;
}

/** What recovery did in a target, for the run to say. */
export type Recovered = "finished" | "undone" | "removed";

/**
 * Recovery in the existing folder `root`, by a run holding its lock: a staging folder there is a
 * killed run's. Finishes a committed one (or undoes it if finishing fails), continues an undo,
 * removes an uncommitted one, and removes the guard a takeover killed midway left.
 */
export function recoverExisting(root: string): Recovered[] {
  rmSync(guardOf(join(root, lockName("self"))), { force: true });
  const staging = join(root, stagingName("self"));
  if (!present(staging)) return [];
  try {
    return [recoverStaging(root, staging)];
  } catch (error) {
    throw new RecoveryFailed(stagingName("self"), error);
  }
}

function recoverStaging(root: string, staging: string): Recovered {
  const committed = readJournal(join(staging, JOURNAL));
  if (committed) {
    try {
      apply(root, staging, committed);
      cleanUp(staging, JOURNAL);
      return "finished";
    } catch {
      abandon(root, staging, committed);
      return "undone";
    }
  }
  const undoing = readJournal(join(staging, UNDO));
  if (undoing) {
    undo(root, staging, undoing);
    cleanUp(staging, UNDO);
    return "undone";
  }
  rmSync(staging, { recursive: true, force: true });
  return "removed";
}

/** An interrupted run's changes that could be neither finished nor undone; its staging folder stays. */
export class RecoveryFailed extends Error {
  constructor(
    readonly staging: string,
    readonly failure: unknown,
  ) {
    super("an interrupted run's changes could not be recovered");
  }
}

/** Recovery beside a new folder, by a run holding the lock `key`: removes that target's leftovers. */
export function recoverBeside(parent: string, key: string): Recovered[] {
  rmSync(guardOf(join(parent, lockName(key))), { force: true });
  const staging = join(parent, stagingName(key));
  if (!present(staging)) return [];
  rmSync(staging, { recursive: true, force: true });
  return ["removed"];
}
