/**
 * Escapers for every format user input lands in. Each returns a complete literal for its format
 * (quotes included), so a template writes `name = {{toml name}}`, never `"{{name}}"`.
 */

// Characters no format here may carry raw: C0/C1 controls, DEL, line/paragraph separators,
// the BOM, and lone surrogates (which would not survive UTF-8).
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function hex4(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

const SHORT_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A double-quoted string whose escapes (`\\`, `\"`, `\n`, `\uXXXX`) mean the same in Python, TOML, YAML and JSON. */
function doubleQuoted(value: string): string {
  const body = value.replace(/[\\"]/g, (ch) => `\\${ch}`).replace(UNSAFE, (ch) => SHORT_ESCAPES[ch] ?? hex4(ch));
  return `"${body}"`;
}

/** A Python str literal. */
export const pythonString = doubleQuoted;
/** A TOML basic string. */
export const tomlString = doubleQuoted;
/** A YAML double-quoted scalar (also JSON). */
export const yamlString = doubleQuoted;

/**
 * Inline Markdown text: backslash-escapes the marks that start emphasis, code, links, HTML or
 * tables anywhere in a line, and the ones that start a block (list, heading, quote) at its start;
 * `&` and `<` become entities so no HTML survives; line breaks are folded so the text stays
 * one paragraph.
 */
export function markdownText(value: string): string {
  return value
    .replace(UNSAFE, " ")
    .replace(/[\\`*_{}[\]<>#|!~]/g, (ch) => `\\${ch}`)
    .replace(/^(\s*)([-+=])/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])/, "$1\\$2")
    .replace(/&/g, "&amp;")
    .replace(/\\</g, "&lt;")
    .replace(/\\>/g, "&gt;");
}

/** A word for a POSIX shell command line: left bare when it is plainly safe, else single-quoted. */
export function shellWord(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A Dockerfile `ENV`/`LABEL` value: double-quoted, with `$` escaped so the builder does not
 * substitute variables into it.
 */
export function dockerfileString(value: string): string {
  return doubleQuoted(value).replace(/\$/g, "\\$");
}

/**
 * User input shown in a one-line message, quoted: quotes, backslashes and anything not printable
 * ASCII are escaped (so no input can break the line), and past 80 characters it is cut.
 */
export function quoted(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  const escaped = shown.replace(/[^\x20-\x7e]|["\\]/g, (ch) => {
    if (ch === '"' || ch === "\\") return `\\${ch}`;
    if (ch === "\n") return "\\n";
    if (ch === "\r") return "\\r";
    if (ch === "\t") return "\\t";
    if (ch === "…") return ch;
    return `\\u{${ch.codePointAt(0)!.toString(16)}}`;
  });
  return `"${escaped}"`;
}

// Control characters (C0, C1, DEL), format characters (direction overrides and isolates, invisible
// marks), line and paragraph separators, and lone surrogates. ZWNJ and ZWJ are kept: scripts and
// emoji need them, and they move nothing.
const NOT_FOR_A_TERMINAL = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/gu;

/**
 * Text from outside (a template's question, its file names, a server's answer) on its way to a
 * terminal: every character that could move the cursor, clear the screen, retitle the window,
 * reorder what is shown or start a line of its own is shown escaped instead (`\u{1b}`).
 */
export function terminalText(text: string): string {
  return text.replace(NOT_FOR_A_TERMINAL, (ch) => `\\u{${ch.codePointAt(0)!.toString(16)}}`);
}
