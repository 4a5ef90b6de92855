import { quoted } from "../escape.js";
import { RECORD_FILE } from "../preset.js";

/**
 * Where a template's file may land. Checked on the path *after* `.hbs` is dropped and a leading
 * `_` becomes `.` (a folder named `_.` would otherwise become `..`). Pure.
 *
 * Names are compared as the file systems a project may be copied to compare them: case-insensitive
 * (Windows, macOS), Unicode-normalised (macOS), ignoring the code points HFS+ ignores and the
 * trailing dots and spaces Windows drops, and with NTFS short names (`GIT~1` is `.git`).
 */

// Names Windows cannot create, with or without an extension.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// Characters Windows refuses in a name (and `\`, which is a separator there).
const WINDOWS_INVALID = /[<>:"|?*\\\u0000-\u001f]/;
// Characters no name may hold: C1 controls, format characters (invisible, or reversing the text
// around them), line and paragraph separators. They hide what a name is, on screen and in a listing.
const INVISIBLE = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/u;
// The code points HFS+ leaves out of a name when it compares names (git's list, utf8.c).
const IGNORED_BY_HFS = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

/** The name one file system or another may take `name` for. */
export function fileSystemKey(name: string): string {
  return name
    .replace(IGNORED_BY_HFS, "")
    .normalize("NFC")
    .toLowerCase()
    .replace(/[. ]+$/, "");
}

/** `.git`, as every file system spells it (`GIT~1` is its NTFS short name). */
const isDotGit = (key: string) => key === ".git" || /^git~\d+$/.test(key);
/** The record's name, and its NTFS short name. */
const isRecord = (key: string) => key === RECORD_FILE || /^create~\d+\.jso$/.test(key);

/** What is wrong with `path` as a project file's place, or undefined. */
export function projectPathProblem(path: string): string | undefined {
  if (path.length === 0) return "an empty path";
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return "an absolute path";
  if (path.length > 400) return "a path longer than 400 characters";
  const parts = path.split("/");
  for (const part of parts) {
    if (part === "" || part === ".") return "a path with an empty or '.' part";
    if (part === "..") return "a path that leads out of the project ('..')";
    if (part.length > 255) return `a name longer than 255 characters`;
    if (WINDOWS_INVALID.test(part))
      return `a name that is invalid on Windows (${quoted(part)}: no < > : " | ? * \\ or control characters)`;
    if (INVISIBLE.test(part))
      return `a name with an invisible or control character (${quoted(part)}), which hides what it is`;
    if (/[. ]$/.test(part)) return `a name that is invalid on Windows (${quoted(part)} ends in a dot or a space)`;
    if (WINDOWS_RESERVED.test(part)) return `a name that is reserved on Windows (${quoted(part)})`;
    const key = fileSystemKey(part);
    if (isDotGit(key))
      return `a path inside .git (${quoted(part)} is .git on some file system; git would run what lands there)`;
    // Git takes a folder with a HEAD for a repository, and runs what its config says (core.fsmonitor…).
    if (key === "head")
      return `a file named HEAD (${quoted(part)}), which makes its folder look like a git repository to git`;
  }
  if (isRecord(fileSystemKey(path))) return `${RECORD_FILE}, which create-agentcore writes itself`;
  return undefined;
}

/** Paths that are the same file on some file system (Windows, macOS): the first clash. */
export function sameFileClash(paths: Iterable<string>): [string, string] | undefined {
  const seen = new Map<string, string>();
  for (const path of paths) {
    const key = path.split("/").map(fileSystemKey).join("/");
    const other = seen.get(key);
    if (other !== undefined && other !== path) return [other, path];
    seen.set(key, path);
  }
  return undefined;
}
