import { main } from "./cli.js";

process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  // Prompts only when a person is at a terminal: @clack/prompts hangs or exits 0 without one.
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  today: new Date().toISOString().slice(0, 10),
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
