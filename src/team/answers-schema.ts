import { visibleQuestions } from "../registry.js";
import type { Schema } from "./schema-check.js";

/**
 * The manifest schema's `$defs.answers`: the built-in answers a template may suggest or lock,
 * made from the registry. `npm run generate` writes it into schema/agentcore-template.schema.json
 * (shipped for editors and enforced by the CLI); test/team.test.ts checks the two agree. Not
 * loaded by the CLI.
 */
export function answersSchema(): Schema {
  const properties: Record<string, Schema> = {};
  for (const entry of visibleQuestions().filter((question) => question.team)) {
    if (entry.kind === "choice") properties[entry.key] = { enum: entry.choices.map((choice) => choice.value) };
    else if (entry.kind === "boolean") properties[entry.key] = { type: "boolean" };
    else if (entry.kind === "list") properties[entry.key] = { $ref: "#/$defs/list" };
    else
      properties[entry.key] = { type: "string", ...(entry.schema as Schema | undefined), maxLength: entry.maxLength };
  }
  return {
    description: "Answers to the built-in questions, keyed like the flags (and like a --preset file).",
    type: "object",
    additionalProperties: false,
    properties,
  };
}

/** The whole manifest schema with `$defs.answers` made anew from the registry. */
export function manifestSchema(current: Schema): Schema {
  return { ...current, $defs: { ...current.$defs, answers: answersSchema() } };
}
