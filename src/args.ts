import { parseArgs } from "node:util";
import { UsageError } from "./errors.js";
import { quoted } from "./escape.js";
import { nearest } from "./nearest.js";
import {
  canonicalChoice,
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

/** A flag's form: `--x <value>`, a switch `--x`, a pair `--x`/`--no-x`, or only `--no-x`. */
function form(entry: Entry): "value" | "switch" | "pair" | "negative" {
  if (entry.kind !== "boolean") return "value";
  if ("form" in entry && entry.form) return entry.form;
  return "negatable" in entry && entry.negatable ? "pair" : "switch";
}

/** How an entry is spelled on the command line: its --flag forms, short form first. */
function spellings(entry: Entry): string[] {
  const short = "short" in entry && entry.short ? [`-${entry.short}`] : [];
  switch (form(entry)) {
    case "negative":
      return [`--no-${entry.key}`];
    case "pair":
      return [...short, `--${entry.key}`, `--no-${entry.key}`];
    default:
      return [...short, `--${entry.key}`];
  }
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
  for (const entry of ENTRIES) {
    if (!hasFlag(entry)) continue;
    const shape = form(entry);
    if (shape !== "negative") {
      config[entry.key] = { type: shape === "value" ? "string" : "boolean" };
      if (entry.kind === "answers") config[entry.key]!.multiple = true;
      if ("short" in entry && entry.short) config[entry.key]!.short = entry.short;
    }
    if (shape === "pair" || shape === "negative") config[`no-${entry.key}`] = { type: "boolean" };
  }

  let parsed: ReturnType<typeof parseArgs<{ options: typeof config; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: config, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseProblem((error as Error).message));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UsageError(`expected one directory, got ${positionals.length}: ${positionals.join(" ")}`);
  }
  const flags: Record<string, unknown> = { directory: positionals[0] };
  for (const entry of ENTRIES) {
    if (!hasFlag(entry)) continue;
    const { key } = entry;
    const shape = form(entry);
    if (entry.kind === "answers") flags[key] = answerPairs(values[key] as string[] | undefined);
    else if (shape === "value")
      flags[key] =
        entry.kind === "choice" && values[key] !== undefined
          ? canonicalChoice(key, values[key] as string)
          : values[key];
    else if (shape === "negative") flags[key] = values[`no-${key}`] !== true;
    else if (shape === "pair") flags[key] = pair(values, key);
    // A question not given stays undefined, so a preset or a template can answer it.
    else flags[key] = values[key] === true ? true : isQuestion(entry) ? undefined : false;
  }
  return flags as Flags;
}

/** Node's parse error as one line naming the flag, with the nearest real flag for an unknown one. */
function parseProblem(message: string): string {
  const unknown = /^Unknown option '([^']*)'/.exec(message);
  if (unknown) {
    const word = unknown[1]!;
    const spelled = word.split("=")[0]!;
    const known = ENTRIES.filter(hasFlag).flatMap(spellings);
    const suggestion = spelled.startsWith("--") ? nearest(spelled, known) : undefined;
    // Quoted as Node quotes it, escaped as every echoed input is (one line whatever was typed).
    return `unknown option '${quoted(word).slice(1, -1)}'${suggestion ? `; did you mean ${suggestion}?` : ""} (see --help)`;
  }
  // Node's other messages are long and mention internals; keep the part that names the flag.
  return `${message.split(". ")[0]} (see --help)`;
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
