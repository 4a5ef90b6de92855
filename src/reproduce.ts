import { shellWord } from "./escape.js";
import { answersOf, fieldOf, type Options } from "./options.js";
import { type Flags, notApplicable, visibleQuestions } from "./registry.js";
import type { TeamAnswers } from "./team/answers.js";

/**
 * The command that answers every question the user just answered, for scripts and workshops:
 * each recorded answer as its flag, in the registry's order.
 */
export function reproduceCommand(
  flags: Flags,
  options: Options,
  team?: { source: string; answers: TeamAnswers },
): string {
  const words = ["npm create agentcore@latest", shellWord(options.directory), "--"];
  if (team) words.push("--template", shellWord(team.source));
  const given = answersOf(options);
  for (const entry of visibleQuestions()) {
    if (entry.key === "directory" || entry.record === undefined || notApplicable(entry, given) !== undefined) continue;
    if (entry.reproduceIfGiven && flags[entry.key as keyof Flags] === undefined) continue;
    const value = options[fieldOf(entry.key)];
    if (entry.kind === "boolean") {
      if (value === true) words.push(`--${entry.key}`);
      else if (entry.negatable) words.push(`--no-${entry.key}`);
    } else if (Array.isArray(value)) {
      if (value.length > 0) words.push(`--${entry.key}`, shellWord(value.join(",")));
    } else if (value !== null) {
      words.push(`--${entry.key}`, shellWord(String(value)));
    }
  }
  if (team) {
    for (const [name, value] of Object.entries(team.answers)) words.push("--answer", shellWord(`${name}=${value}`));
  }
  if (flags.offline) words.push("--offline");
  if (!flags.git) words.push("--no-git");
  if (flags.install === false) words.push("--no-install");
  if (flags.install === true && team) words.push("--install");
  return words.join(" ");
}
