import { parseList } from "../checks.js";
import { UsageError } from "../errors.js";
import { quoted } from "../escape.js";
import { type Flags, isQuestionKey, question } from "../registry.js";
import { type Question, textProblem } from "./manifest.js";

/**
 * A team template's answers: its locks against what the user gave, its defaults, and its own
 * questions (`--answer name=value`, a preset's "answer", or a prompt). Pure.
 */

export type TeamAnswers = Record<string, string | boolean>;

/** Lists compare as lists: "a, b" is "a,b". */
function comparable(key: string, value: unknown): string {
  if (isQuestionKey(key) && question(key).kind === "list") return parseList(String(value)).join(",");
  return String(value);
}

/** A given value in a one-line message: strings through quoted(), so no input breaks the line. */
function shownValue(value: unknown): string {
  return typeof value === "string" ? quoted(value) : JSON.stringify(value);
}

function shown(key: string, value: unknown): string {
  return typeof value === "boolean" ? (value ? `--${key}` : `--no-${key}`) : `--${key} ${shownValue(value)}`;
}

/**
 * A flag or preset answer that contradicts one of the template's locks is an error naming both.
 * `given` are the answers as they came, checked in order (the command line, then the preset);
 * each has `where` to name its origin, or undefined for the command line.
 */
export function checkLocks(
  locked: Partial<Flags>,
  template: string,
  given: { flags: Partial<Flags>; where?: string }[],
): void {
  for (const [key, value] of Object.entries(locked)) {
    for (const { flags, where } of given) {
      const answer = flags[key as keyof Flags];
      if (answer === undefined) continue;
      if (comparable(key, answer) === comparable(key, value)) continue;
      const what = where === undefined ? shown(key, answer) : `${where}: "${key}" ${shownValue(answer)}`;
      throw new UsageError(`${what} contradicts the template ${template}, which locks ${key} to ${shownValue(value)}`);
    }
  }
}

/** An answer as typed (`--answer x=…`, a preset, a prompt) → its value, or a problem. */
export function parseAnswer(question: Question, raw: string): { value: string | boolean } | { problem: string } {
  if (question.type === "confirm") {
    const normal = raw.trim().toLowerCase();
    if (["true", "yes", "y"].includes(normal)) return { value: true };
    if (["false", "no", "n"].includes(normal)) return { value: false };
    return { problem: "must be true or false (yes or no)" };
  }
  if (question.type === "select") {
    const values = question.options!.map((option) => option.value);
    return values.includes(raw)
      ? { value: raw }
      : { problem: `must be one of ${values.join(", ")}; got ${quoted(raw)}` };
  }
  const problem = textProblem(question, raw);
  return problem ? { problem } : { value: raw };
}

/**
 * Checks the answers given before any prompt: each names a question, and each is valid.
 * `where` names their origin in errors.
 */
export function checkGivenAnswers(
  questions: Question[],
  given: Record<string, string> | undefined,
  template: string,
  where: (name: string) => string,
): TeamAnswers {
  const answers: TeamAnswers = {};
  for (const [name, raw] of Object.entries(given ?? {})) {
    const question = questions.find((candidate) => candidate.name === name);
    if (!question) {
      const names = questions.map((candidate) => candidate.name);
      throw new UsageError(
        `${where(name)}: the template ${template} has ${names.length ? `no question "${name}"; its questions are ${names.join(", ")}` : "no questions"}`,
      );
    }
    const parsed = parseAnswer(question, raw);
    if ("problem" in parsed) throw new UsageError(`${where(name)}: ${parsed.problem}`);
    answers[name] = parsed.value;
  }
  return answers;
}

/** Questions that no answer and no default can fill: they need a person or `--answer`. */
export function unanswered(questions: Question[], answers: TeamAnswers): Question[] {
  return questions.filter(
    (question) => !Object.hasOwn(answers, question.name) && question.default === undefined && question.required,
  );
}

/** Every question answered: the given answer, else its default, else empty (optional text). */
export function completeAnswers(questions: Question[], answers: TeamAnswers): TeamAnswers {
  const complete: TeamAnswers = {};
  for (const question of questions) {
    // In the manifest's order, so the record is the same whatever order the answers came in.
    complete[question.name] = Object.hasOwn(answers, question.name)
      ? answers[question.name]!
      : (question.default ?? "");
  }
  return complete;
}
