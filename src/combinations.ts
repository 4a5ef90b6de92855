import {
  allowedChoices,
  choiceDefault,
  type Given,
  isVisible,
  notApplicable,
  QUESTIONS,
  type Question,
} from "./registry.js";

/**
 * Every combination of the registry's dimensions (framework, auth, streaming …) that the CLI
 * accepts, for the tests: plan snapshots, the built CLI against plan(), the end-to-end and
 * container harnesses (through the JSON file the build writes) and the benchmark. Not loaded by
 * the CLI itself.
 */

export interface Combination {
  /** Its dimensions' values joined, e.g. "langgraph-jwt-stream-updates-noasync". */
  name: string;
  /** Every answer that applies, keyed like the flags; dimensions plus the registry's examples. */
  answers: Record<string, string | boolean>;
  /** The same answers as command-line flags. */
  flags: string[];
}

const ROWS: readonly Question[] = QUESTIONS;

export function everyCombination(): Combination[] {
  const dimensions = ROWS.filter((entry) => entry.dimension && isVisible(entry));
  const complete: { name: string[]; answers: Record<string, string | boolean> }[] = [];
  const expand = (index: number, name: string[], answers: Record<string, string | boolean>): void => {
    const entry = dimensions[index];
    if (!entry) {
      complete.push({ name, answers });
    } else if (notApplicable(entry, answers as Given) !== undefined) {
      expand(index + 1, name, answers);
    } else if (entry.kind === "boolean") {
      for (const value of [false, true]) {
        const shown = entry.names?.[value ? 0 : 1] ?? (value ? entry.key : `no-${entry.key}`);
        expand(index + 1, [...name, shown], { ...answers, [entry.key]: value });
      }
    } else {
      // The default for these answers first, so a framework's first combination is on its default provider.
      const preferred = choiceDefault(entry.key, answers as Given);
      const choices = allowedChoices(entry.key, answers as Given);
      for (const choice of [
        ...choices.filter((c) => c.value === preferred),
        ...choices.filter((c) => c.value !== preferred),
      ]) {
        const quiet = entry.kind === "choice" && entry.unnamedDefault && choice.value === entry.default;
        const shown = quiet ? [] : [choice.value];
        expand(index + 1, [...name, ...shown], { ...answers, [entry.key]: choice.value });
      }
    }
  };
  expand(0, [], {});
  return complete.map(({ name, answers }) => {
    const withExamples = { ...answers };
    for (const entry of ROWS) {
      if (
        entry.kind !== "choice" &&
        entry.kind !== "boolean" &&
        entry.example !== undefined &&
        notApplicable(entry, answers) === undefined
      ) {
        withExamples[entry.key] = entry.example;
      }
    }
    return { name: name.join("-"), answers: withExamples, flags: asFlags(withExamples) };
  });
}

/** Answers keyed like the flags → command-line flags. */
export function asFlags(answers: Record<string, string | boolean>): string[] {
  return Object.entries(answers).flatMap(([key, value]) =>
    value === true ? [`--${key}`] : value === false ? [`--no-${key}`] : [`--${key}`, value],
  );
}
