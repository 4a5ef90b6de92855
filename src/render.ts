import Handlebars from "handlebars";
import { dockerfileString, markdownText, pythonString, shellWord, tomlString, yamlString } from "./escape.js";

/**
 * A private Handlebars instance. HTML escaping is off (no output here is HTML) and every value a
 * user typed goes through the helper for its target format instead: `{{py x}}`, `{{toml x}}`,
 * `{{yaml x}}`, `{{md x}}`, `{{sh x}}`, `{{docker x}}`, `{{json x}}`.
 */
const hbs = Handlebars.create();

function stringHelper(escape: (value: string) => string, name: string) {
  return (value: unknown) => {
    if (typeof value !== "string") throw new Error(`{{${name}}} needs a string, got ${typeof value}`);
    return escape(value);
  };
}

hbs.registerHelper({
  py: stringHelper(pythonString, "py"),
  toml: stringHelper(tomlString, "toml"),
  yaml: stringHelper(yamlString, "yaml"),
  md: stringHelper(markdownText, "md"),
  sh: stringHelper(shellWord, "sh"),
  docker: stringHelper(dockerfileString, "docker"),
  json: (value: unknown) => JSON.stringify(value),
  eq: (a: unknown, b: unknown) => a === b,
});

/**
 * Renders one template; a variable the context lacks fails the render (strict mode). `partials`
 * are the layers' shared pieces, used as `{{> name}}`.
 */
export function render(source: string, context: object, fileName: string, partials: Record<string, string> = {}): string {
  try {
    return hbs.compile(source, { strict: true, noEscape: true })(context, { partials });
  } catch (error) {
    // Handlebars puts the position first and what it expected last; keep both on one line.
    const lines = (error as Error).message.split("\n");
    const detail = lines.length > 1 ? `${lines[0]} ${lines.at(-1)}` : lines[0];
    throw new Error(`template ${fileName}: ${detail}`);
  }
}
