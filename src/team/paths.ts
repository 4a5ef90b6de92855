import { quoted } from "../escape.js";
import { RECORD_FILE } from "../preset.js";

/**
 * Where a template's file may land. Checked on the path *after* `.hbs` is dropped and a leading
 * `_` becomes `.` (a folder named `_.` would otherwise become `..`). Pure.
 */

// Names Windows cannot create, with or without an extension.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// Characters Windows refuses in a name (and `\`, which is a separator there).
const WINDOWS_INVALID = /[<>:"|?*\\\u0000-\u001f]/;

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
    if (/[. ]$/.test(part)) return `a name that is invalid on Windows (${quoted(part)} ends in a dot or a space)`;
    if (WINDOWS_RESERVED.test(part)) return `a name that is reserved on Windows (${quoted(part)})`;
    if (part.toLowerCase() === ".git") return "a path inside .git (git would run what lands there)";
  }
  if (path === RECORD_FILE) return `${RECORD_FILE}, which create-agentcore writes itself`;
  return undefined;
}

/** Paths that are the same file on a case-insensitive file system (Windows, macOS): the first clash. */
export function caseClash(paths: Iterable<string>): [string, string] | undefined {
  const seen = new Map<string, string>();
  for (const path of paths) {
    const folded = path.toLowerCase();
    const other = seen.get(folded);
    if (other !== undefined && other !== path) return [other, path];
    seen.set(folded, path);
  }
  return undefined;
}
