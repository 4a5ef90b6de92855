import schema from "../../schema/agentcore-template.schema.json" with { type: "json" };
import { hasLoneSurrogate, textLimitProblem } from "../checks.js";
import { UsageError } from "../errors.js";
import { terminalText } from "../escape.js";
import { compilePattern, type Pattern, PatternError } from "./pattern.js";
import { checkSchema, pointer, type Schema } from "./schema-check.js";

/** The manifest at the root of a team template. */
export const MANIFEST_FILE = "agentcore-template.json";

export type QuestionType = "text" | "select" | "confirm";

export interface Question {
  name: string;
  type: QuestionType;
  message: string;
  hint?: string;
  default?: string | boolean;
  /** text: an empty answer is refused. */
  required: boolean;
  /** text: the whole answer must match (in linear time: pattern.ts). */
  pattern?: Pattern;
  patternMessage?: string;
  maxLength: number;
  options?: { value: string; label?: string; hint?: string }[];
}

/** Answers to the built-in questions, keyed like the flags (`"stream-mode"`), as in a preset. */
export type BuiltinAnswers = Record<string, unknown>;

export interface Manifest {
  name: string;
  version: string;
  description?: string;
  defaults: BuiltinAnswers;
  locked: BuiltinAnswers;
  questions: Question[];
  replaces: string[];
  dependencies: string[];
  devDependencies: string[];
}

/**
 * A problem with a template: one line naming the file, exit 2, nothing written. Its message
 * quotes the template (names, messages, values), so what could steer a terminal is escaped.
 */
export class TemplateError extends UsageError {
  constructor(message: string) {
    super(terminalText(message));
  }
}

const TEXT_ONLY = ["hint", "required", "pattern", "patternMessage", "maxLength"] as const;

/**
 * A question name that asks for a secret. Templates have no secret questions: every answer is
 * written into the project and recorded in .create-agentcore.json, so a secret has no safe place
 * to go. Secrets belong in the environment at run time.
 */
const SECRET_NAME =
  /(^|_)(secret|secrets|password|passwd|passphrase|token|api_?key|access_?key|private_?key|credential|credentials)($|_)/;

/** Parses and checks `agentcore-template.json`; `label` names it in errors. */
export function parseManifest(text: string, label: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TemplateError(`${label}: not valid JSON (${(error as Error).message.split("\n")[0]})`);
  }
  const problem = checkSchema(data, schema as Schema) ?? loneSurrogate(data);
  if (problem) throw new TemplateError(`${label}: ${problem}`);
  const raw = data as {
    name: string;
    version: string;
    description?: string;
    defaults?: BuiltinAnswers;
    locked?: BuiltinAnswers;
    questions?: Record<string, unknown>[];
    replaces?: string[];
    dependencies?: string[];
    devDependencies?: string[];
  };
  const fail = (path: (string | number)[], message: string): never => {
    throw new TemplateError(`${label}: ${pointer(path)}: ${message}`);
  };

  const defaults = raw.defaults ?? {};
  const locked = raw.locked ?? {};
  for (const key of Object.keys(locked)) {
    if (Object.hasOwn(defaults, key)) fail(["locked", key], "is also in defaults; a key is either suggested or locked");
  }

  const names = new Set<string>();
  const questions = (raw.questions ?? []).map((entry, index): Question => {
    const at = (key?: string) => (key === undefined ? ["questions", index] : ["questions", index, key]);
    const question = entry as { name: string; type: QuestionType; message: string } & Record<string, unknown>;
    if (names.has(question.name)) fail(at("name"), `"${question.name}" is asked twice`);
    names.add(question.name);
    if (SECRET_NAME.test(question.name)) {
      fail(
        at("name"),
        `"${question.name}" looks like a secret; templates cannot ask for secrets (answers are written into the project and its record): read it from the environment at run time`,
      );
    }
    if (question.type !== "text") {
      for (const key of TEXT_ONLY) if (key in question) fail(at(key), "is for text questions only");
    }
    if (question.type !== "select" && "options" in question) fail(at("options"), "is for select questions only");

    const parsed: Question = {
      name: question.name,
      type: question.type,
      message: question.message,
      required: question.type === "text" ? question.required !== false : false,
      maxLength: (question.maxLength as number | undefined) ?? 200,
    };
    if (typeof question.hint === "string") parsed.hint = question.hint;

    if (question.type === "text") {
      if (typeof question.pattern === "string") {
        try {
          parsed.pattern = compilePattern(question.pattern);
        } catch (error) {
          if (!(error instanceof PatternError)) throw error;
          fail(at("pattern"), error.message);
        }
      }
      if (typeof question.patternMessage === "string") parsed.patternMessage = question.patternMessage;
      if ("default" in question) {
        if (typeof question.default !== "string") fail(at("default"), "must be a string for a text question");
        const problem = textProblem(parsed, question.default as string);
        if (problem) fail(at("default"), problem);
        parsed.default = question.default as string;
      }
    } else if (question.type === "select") {
      if (!Array.isArray(question.options)) fail(at("options"), "is required for a select question");
      parsed.options = question.options as Question["options"];
      const values = parsed.options!.map((option) => option.value);
      const twice = values.find((value, i) => values.indexOf(value) !== i);
      if (twice !== undefined) fail(at("options"), `offers "${twice}" twice`);
      if ("default" in question) {
        if (typeof question.default !== "string" || !values.includes(question.default)) {
          fail(at("default"), `must be one of the options' values: ${values.join(", ")}`);
        }
        parsed.default = question.default as string;
      }
    } else {
      if ("default" in question && typeof question.default !== "boolean")
        fail(at("default"), "must be true or false for a confirm question");
      parsed.default = (question.default as boolean | undefined) ?? false;
    }
    return parsed;
  });

  return {
    name: raw.name,
    version: raw.version,
    ...(raw.description !== undefined && { description: raw.description }),
    defaults,
    locked,
    questions,
    replaces: raw.replaces ?? [],
    dependencies: raw.dependencies ?? [],
    devDependencies: raw.devDependencies ?? [],
  };
}

/** Characters no one-line answer may carry: controls, line and paragraph separators, the BOM. */
const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** Where the manifest holds a string that is not Unicode text (a lone surrogate, `"\ud800"` in JSON), or undefined. */
function loneSurrogate(value: unknown, path: (string | number)[] = []): string | undefined {
  if (typeof value === "string")
    return hasLoneSurrogate(value) ? `${pointer(path)}: holds a lone surrogate, which is not Unicode text` : undefined;
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      // Keys need no check: the schema allows only its own.
      const problem = loneSurrogate(item, [...path, Array.isArray(value) ? Number(key) : key]);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** What is wrong with a text answer, or undefined. */
export function textProblem(question: Question, value: string): string | undefined {
  if (NOT_ONE_LINE.test(value)) return "must be one line of text, without control characters";
  if (value.length === 0) return question.required ? "must not be empty" : undefined;
  const limit = textLimitProblem(value, question.maxLength);
  if (limit) return limit;
  if (question.pattern && !question.pattern.test(value)) {
    return question.patternMessage ?? `must match ${question.pattern.source}`;
  }
  return undefined;
}
