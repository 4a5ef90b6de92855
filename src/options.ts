import type { ResolvedModel } from "./models/resolve.js";
import { type ChoiceValue, choiceOf, type Given, QUESTIONS } from "./registry.js";

/**
 * The validated answers a run works from (validate.ts makes them). Everything after this point
 * is pure data flow. There is one field per question of the registry, named like its flag in
 * camelCase (`--stream-mode` → `streamMode`), holding the answer or its default; comma lists are
 * arrays. Besides those, only what is worked out from them.
 */

/** `stream-mode` → `streamMode`. */
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

type Question = (typeof QUESTIONS)[number];
type Value<Q extends Question> = Q extends { kind: "boolean" }
  ? boolean
  : Q extends { kind: "list" }
    ? string[]
    : Q extends { kind: "choice" }
      ? ChoiceValue<Q["key"]>
      : Q extends { default: string } | { derive: unknown }
        ? string
        : string | null;

export type Answered = { [Q in Question as Camel<Q["key"]>]: Value<Q> };

export type Framework = ChoiceValue<"framework">;
export type AuthMode = ChoiceValue<"auth">;
export type StreamMode = ChoiceValue<"stream-mode">;
export type ProfilePreference = ChoiceValue<"inference-profile">;

export interface Options extends Answered {
  /** The directory's base name: the project's name in its README and in the record. */
  directoryName: string;
  resolvedModel: ResolvedModel;
}

const FIELDS = new Map(QUESTIONS.map(({ key }) => [key as string, camel(key)]));

function camel(key: string): keyof Answered {
  return key.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()) as keyof Answered;
}

/** `stream-mode` → `streamMode`: the Options field of a question. */
export function fieldOf(key: string): keyof Answered {
  return FIELDS.get(key) ?? camel(key);
}

/** The options as registry answers (`{"stream-mode": "messages", …}`), for the registry's rules. */
export function answersOf(options: Options): Given {
  const answers: Record<string, string | boolean> = {};
  for (const [key, field] of FIELDS) {
    const value = options[field];
    if (value !== null) answers[key] = Array.isArray(value) ? value.join(",") : value;
  }
  return answers;
}

/** The folder of the agent's own files: the project root (""), or what the deploy target says. */
export function agentDir(options: Options): string {
  return choiceOf("deploy", options.deploy)?.agentDir?.replace("{name}", options.name) ?? "";
}
