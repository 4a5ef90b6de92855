import Handlebars from "handlebars/runtime";
import { dockerfileString, markdownText, pythonString, shellWord, tomlString, yamlString } from "./escape.js";

/**
 * Templates are Handlebars, compiled in strict mode (a variable the context lacks fails the
 * render) with HTML escaping off (no output here is HTML): every value a user typed goes through
 * the helper for its target format instead — `{{py x}}`, `{{toml x}}`, `{{yaml x}}`, `{{md x}}`,
 * `{{sh x}}`, `{{docker x}}`, `{{json x}}`.
 *
 * This module needs only the Handlebars *runtime*. Compiling template source needs the full
 * compiler, which lives in `template-folder.ts`: the build precompiles the built-in layers with it
 * (scripts/build.mjs), so the published CLI never loads it for them.
 */

/** A compiled template: called with the context and `{ partials }`, returns the text. */
export type Template = HandlebarsTemplateDelegate;

/** How every template is compiled, at build time and at run time alike. */
export const COMPILE_OPTIONS = { strict: true, noEscape: true } as const;

function stringHelper(escaper: (value: string) => string, name: string) {
  return (value: unknown) => {
    if (typeof value !== "string") throw new Error(`{{${name}}} needs a string, got ${typeof value}`);
    return escaper(value);
  };
}

export const HELPERS = {
  py: stringHelper(pythonString, "py"),
  toml: stringHelper(tomlString, "toml"),
  yaml: stringHelper(yamlString, "yaml"),
  md: stringHelper(markdownText, "md"),
  sh: stringHelper(shellWord, "sh"),
  docker: stringHelper(dockerfileString, "docker"),
  json: (value: unknown) => JSON.stringify(value),
  eq: (a: unknown, b: unknown) => a === b,
};

/** A private runtime instance with the helpers; precompiled templates run on it. */
const runtime = Handlebars.create();
runtime.registerHelper(HELPERS);

/** A template precompiled at build time (`Handlebars.precompile` with COMPILE_OPTIONS). */
export function templateFromSpec(spec: TemplateSpecification): Template {
  return runtime.template(spec);
}

/** Handlebars puts the position first and what it expected last; keep both, on one line. */
export function templateError(fileName: string, error: unknown): Error {
  const lines = (error as Error).message.split("\n");
  const detail = lines.length > 1 ? `${lines[0]} ${lines.at(-1)}` : lines[0];
  return new Error(`template ${fileName}: ${detail}`);
}

/**
 * Renders one template; a variable the context lacks fails the render (strict mode). `partials`
 * are the layers' shared pieces, used as `{{> name}}`.
 */
export function render(
  template: Template,
  context: object,
  fileName: string,
  partials: Record<string, Template> = {},
): string {
  try {
    return template(context, { partials });
  } catch (error) {
    throw templateError(fileName, error);
  }
}
