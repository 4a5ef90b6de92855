import { fstatSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { cacheRoot } from "./cache-dir.js";
import { enableCompileCache } from "./compile-cache.js";
import type { Style } from "./io.js";

const cacheDir = cacheFolder();
// The compile cache first, then the rest of the CLI: the import below is what loads (and compiles) it.
const keepCompiledCode = cacheDir
  ? enableCompileCache(join(cacheDir, "compile"), join(import.meta.dirname, "chunks"), process.env)
  : () => {};
const printError = printer(2);

void import("./cli.js")
  .then(async ({ main }) => {
    const terminal = await isTerminal(1);
    const colourOut = wantsColour(terminal);
    const colourErr = wantsColour(await isTerminal(2));
    // The colours are loaded only when used: a plain run in a pipe or a log has none.
    const colours = colourOut || colourErr ? (await import("./colour.js")).ansi : PLAIN;
    return main({
      argv: process.argv.slice(2),
      env: process.env,
      cacheDir,
      // Prompts only when a person is at a terminal: @clack/prompts hangs or exits 0 without one.
      interactive: terminal && (await isTerminal(0)),
      terminal,
      today: new Date().toISOString().slice(0, 10),
      out: printer(1),
      err: printError,
      style: colourOut ? colours : PLAIN,
      errStyle: colourErr ? colours : PLAIN,
    });
  })
  .then(
    ({ exitCode, wroteProject }) => {
      // Only a run that generated a project keeps its compiled code (src/compile-cache.ts says why).
      if (wroteProject) keepCompiledCode();
      process.exitCode = exitCode;
    },
    (error: unknown) => {
      // Every failure the CLI knows of is worded where it happens (exit 2); anything else is a bug.
      const what = String(error instanceof Error ? `${error.name}: ${error.message}` : error)
        .split("\n")[0]!
        .replace(/[\u0000-\u001f\u007f-\u009f]/g, "?"); // one line on any terminal
      printError(
        `create-agentcore: internal error: ${what}; this is a bug in create-agentcore: please report it with the command you ran (npm bugs create-agentcore)`,
      );
      process.exitCode = 1;
    },
  );

/** The cache folder, or none when there is no home folder to put it in (a user without one, HOME unset). */
function cacheFolder(): string | undefined {
  try {
    return cacheRoot(process.env);
  } catch {
    return undefined;
  }
}

const same = (text: string) => text;
const PLAIN: Style = { bold: same, dim: same, red: same, yellow: same, green: same, cyan: same };

/**
 * Colour on a terminal, unless NO_COLOR is set (no-color.org) or the terminal is dumb; FORCE_COLOR
 * turns it on anywhere (and FORCE_COLOR=0 off), as it does for Node itself.
 */
function wantsColour(terminal: boolean): boolean {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (process.env.NO_COLOR) return false;
  return terminal && process.env.TERM !== "dumb";
}

/**
 * Whether fd is a terminal. node:tty loads Node's network and stream modules (milliseconds), so
 * it is asked only about a character device other than /dev/null: a pipe, a file or /dev/null
 * (CI, `< /dev/null`) is no terminal.
 */
async function isTerminal(fd: number): Promise<boolean> {
  try {
    const stat = fstatSync(fd);
    if (!stat.isCharacterDevice()) return false;
    if (process.platform !== "win32" && stat.rdev === statSync("/dev/null").rdev) return false;
  } catch {
    return false; // closed
  }
  const { isatty } = await import("node:tty");
  return isatty(fd);
}

/**
 * Prints lines to stdout (1) or stderr (2) with fs.writeSync rather than process.stdout, whose
 * stream would load Node's stream modules for a few lines of text. On Windows the console
 * stream is kept: it is what prints Unicode there.
 */
function printer(fd: 1 | 2): (line: string) => void {
  if (process.platform === "win32") return (line) => (fd === 1 ? process.stdout : process.stderr).write(`${line}\n`);
  let readerGone = false;
  return (line) => {
    const bytes = Buffer.from(`${line}\n`);
    for (let done = 0; done < bytes.length && !readerGone; ) {
      try {
        done += writeSync(fd, bytes, done);
      } catch (error) {
        const { code } = error as NodeJS.ErrnoException;
        // Whoever read the output has stopped (`| head`): the run goes on without printing.
        if (code === "EPIPE") readerGone = true;
        // A non-blocking pipe that is full (another process set O_NONBLOCK on it): try again.
        else if (code !== "EAGAIN") throw error;
      }
    }
  };
}
