import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { PlannedFile } from "./layer.js";

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
  skipped: string[];
}

export class WriteError extends Error {}

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/**
 * Looks at the target before writing and refuses the cases no answer can make safe: a planned
 * file whose place is taken by a directory, or a path that would pass through a file or a
 * symbolic link (which could lead outside the project).
 */
export function inspectTarget(directory: string, files: PlannedFile[]): TargetState {
  const root = resolve(directory);
  const rootStat = lstatOrNull(root);
  if (!rootStat) return { exists: false, empty: true, existing: [] };
  if (!rootStat.isDirectory()) throw new WriteError(`${directory} exists and is not a directory`);
  const empty = readdirSync(root).every((entry) => entry === ".git");
  const existing: string[] = [];
  for (const { path } of files) {
    const parts = path.split("/");
    for (let depth = 1; depth < parts.length; depth++) {
      const stat = lstatOrNull(join(root, ...parts.slice(0, depth)));
      if (stat && !stat.isDirectory()) {
        const what = stat.isSymbolicLink() ? "a symbolic link" : "not a directory";
        throw new WriteError(`cannot write ${path}: ${parts.slice(0, depth).join("/")} is ${what}`);
      }
    }
    const stat = lstatOrNull(join(root, path));
    if (stat?.isDirectory()) throw new WriteError(`cannot write ${path}: a directory of that name exists`);
    if (stat) existing.push(path);
  }
  return { exists: true, empty, existing };
}

/**
 * Writes the plan into a staging folder beside the target, then moves it into place: a new
 * directory arrives in one rename, so an interrupted run leaves no half project; into an existing
 * directory each file is moved in turn. Only the plan's own files are created or replaced.
 */
export function writePlan(directory: string, files: PlannedFile[], existingFiles: ExistingFiles): WriteResult {
  const root = resolve(directory);
  const state = inspectTarget(directory, files);
  const skip = new Set(existingFiles === "skip" ? state.existing : []);
  const toWrite = files.filter((file) => !skip.has(file.path));

  mkdirSync(dirname(root), { recursive: true });
  // Not mkdtemp: its 0700 mode would become the project's when the folder is renamed into place.
  // Math.random, not node:crypto: a unique-enough name, and crypto costs milliseconds to load.
  const staging = join(dirname(root), `.${basename(root)}.create-agentcore-${Math.random().toString(16).slice(2, 10)}`);
  mkdirSync(staging);
  let moved = false;
  try {
    for (const file of toWrite) {
      const path = join(staging, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.contents);
    }
    if (!state.exists) {
      renameSync(staging, root);
      moved = true;
    } else {
      for (const file of toWrite) {
        const target = join(root, file.path);
        mkdirSync(dirname(target), { recursive: true });
        renameSync(join(staging, file.path), target);
      }
    }
  } finally {
    if (!moved) rmSync(staging, { recursive: true, force: true });
  }
  return { written: toWrite.map((file) => file.path), skipped: [...skip] };
}
