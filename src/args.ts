import { parseArgs } from "node:util";
import { UsageError } from "./errors.js";
import {
  choiceValues,
  type Flags,
  isVisible,
  QUESTIONS,
  type Question,
  RUN_FLAGS,
  type RunFlag,
  SECTIONS,
} from "./registry.js";

/** The flags and --help, both made from the registry. */

type Entry = Question | RunFlag;

const isQuestion = (entry: Entry): entry is Question => "team" in entry;

/** Whether an entry is a --flag: the directory is the positional argument, a fixed value none. */
function hasFlag(entry: Entry): boolean {
  return isQuestion(entry) ? entry.key !== "directory" && isVisible(entry) : true;
}

const ENTRIES: readonly Entry[] = [...QUESTIONS, ...RUN_FLAGS];

/** How an entry is spelled on the command line: its --flag forms, short form first. */
function spellings(entry: Entry): string[] {
  if (entry.kind !== "boolean") return [`--${entry.key}`];
  const form = "form" in entry ? entry.form : "negatable" in entry && entry.negatable ? "pair" : undefined;
  const short = "short" in entry && entry.short ? [`-${entry.short}`] : [];
  if (form === "negative") return [`--no-${entry.key}`];
  if (form === "pair") return [...short, `--${entry.key}`, `--no-${entry.key}`];
  return [...short, `--${entry.key}`];
}

/** `--answer name=value` → ["name", "value"]. */
function answerPairs(values: string[] | undefined): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  const answers: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf("=");
    const name = at > 0 ? value.slice(0, at) : "";
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(name)) {
      throw new UsageError(
        `--answer ${JSON.stringify(value)}: expected name=value, the name as the template's question has it (e.g. cost_center=CC-1234)`,
      );
    }
    if (Object.hasOwn(answers, name)) throw new UsageError(`--answer ${name} is given twice`);
    answers[name] = value.slice(at + 1);
  }
  return answers;
}

/** `--x` and `--no-x` together is a contradiction, not a last-one-wins. */
function pair(values: Record<string, unknown>, flag: string): boolean | undefined {
  const on = values[flag] === true;
  const off = values[`no-${flag}`] === true;
  if (on && off) throw new UsageError(`--${flag} and --no-${flag} contradict each other; give one`);
  return on ? true : off ? false : undefined;
}

/** Every --flag the parser accepts (`--streaming`, `--no-streaming`, …). */
export function commandLineFlags(): string[] {
  return ENTRIES.filter(hasFlag).flatMap((entry) => spellings(entry).filter((word) => word.startsWith("--")));
}

export function parseFlags(argv: string[]): Flags {
  const config: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const entry of ENTRIES.filter(hasFlag)) {
    for (const spelling of spellings(entry).filter((word) => word.startsWith("--"))) {
      const name = spelling.slice(2);
      config[name] = { type: entry.kind === "boolean" ? "boolean" : "string" };
      if (entry.kind === "answers") config[name].multiple = true;
      if (name === entry.key && "short" in entry && entry.short) config[name].short = entry.short;
    }
  }

  let parsed: ReturnType<typeof parseArgs<{ options: typeof config; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: config, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's messages are long and mention internals; keep the part that names the flag.
    const message = (error as Error).message.split(". ")[0]!.replace(/^Unknown option/, "unknown option");
    throw new UsageError(`${message} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UsageError(`expected one directory, got ${positionals.length}: ${positionals.join(" ")}`);
  }
  const flags: Record<string, unknown> = { directory: positionals[0] };
  for (const entry of ENTRIES.filter(hasFlag)) {
    const { key } = entry;
    if (entry.kind === "answers") flags[key] = answerPairs(values[key] as string[] | undefined);
    else if (entry.kind !== "boolean") flags[key] = values[key];
    else if ("form" in entry && entry.form === "negative") flags[key] = values[`no-${key}`] !== true;
    else if (spellings(entry).includes(`--no-${key}`)) flags[key] = pair(values, key);
    else flags[key] = values[key] === true ? true : isQuestion(entry) ? undefined : false;
  }
  return flags as Flags;
}

const WIDTH = 80;
const COLUMN = 31;

/** Words wrapped into lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}

function helpText(entry: Entry): string {
  let text = entry.help.replace("{choices}", () => choiceValues(entry.key as never).join(" | "));
  text = text.replace("{framework}", () => choiceValues("framework").join(" | "));
  if (isQuestion(entry)) {
    const shown = entry.helpDefault ?? (entry.kind === "boolean" ? (entry.default ? "yes" : "no") : entry.default);
    if (shown) text += ` (default: ${shown})`;
  }
  return text;
}

/** The --help text: every flag of the registry, by section. */
export function help(): string {
  const lines = [
    "Usage: create-agentcore [directory] [options]",
    "",
    ...wrap(
      "Scaffolds an Amazon Bedrock AgentCore Runtime agent in Python: agent.py on the bedrock-agentcore SDK, offline tests, a Dockerfile and .bedrock_agentcore.yaml. Every question has a flag; with no terminal, give the directory and --framework (or --yes to take the defaults).",
      WIDTH,
    ),
  ];
  for (const section of SECTIONS) {
    const entries = ENTRIES.filter(
      (entry) => entry.section === section && (hasFlag(entry) || entry.key === "directory"),
    );
    if (entries.length === 0) continue;
    lines.push("", section);
    for (const entry of entries) {
      const usage = entry.key === "directory" ? "[directory]" : spellings(entry).join(", ");
      const left = `  ${usage}${"placeholder" in entry && entry.key !== "directory" ? ` ${entry.placeholder}` : ""}`;
      const text = wrap(helpText(entry), WIDTH - COLUMN);
      if (left.length < COLUMN - 1) lines.push(left.padEnd(COLUMN) + text.shift());
      else lines.push(left);
      for (const more of text) lines.push(" ".repeat(COLUMN) + more);
    }
  }
  return `${lines.join("\n")}\n`;
}
