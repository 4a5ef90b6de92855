import { isatty } from "node:tty";
import { main } from "./cli.js";

process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  // Prompts only when a person is at a terminal: @clack/prompts hangs or exits 0 without one.
  // isatty() rather than process.stdin.isTTY, which sets up a stdin stream a plain run never reads.
  interactive: isatty(0) && isatty(1),
  today: new Date().toISOString().slice(0, 10),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
