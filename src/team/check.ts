import Handlebars from "handlebars";
import { templateError } from "../render.js";
import { type QuestionType, TemplateError } from "./manifest.js";

/**
 * Static checks of a team template's Handlebars source, before any answer is known: syntax, every
 * variable it names, every helper and partial, and that what a person typed goes through an
 * escaper. Rendering the whole project in strict mode afterwards catches the rest for the actual
 * answers.
 *
 * An allow-list: each variable has a shape (text a person typed, a value of the tool's or the
 * author's, a list or an object of them), and every expression is followed to the shape it
 * reaches, whatever the context it is written in (`this`, `../`, `@root`, inside `#each`). Text a
 * person typed may reach the output only as an escaper's argument; a block may enter only values
 * that hold none.
 */

/** What a variable holds. */
export type Shape =
  /** Text a person typed: printed only through an escaper. */
  | "typed"
  /** A value of the tool's or the template author's: printed as it is. */
  | "safe"
  | { readonly list: Shape }
  | { readonly fields: Readonly<Record<string, Shape>> };

export interface CheckScope {
  /** The template variables (`region`, `description`, `jwt`, …) and what each holds; `team` and `template` are added. */
  variables: ReadonlyMap<string, Shape>;
  /** The template's questions: `team.<name>`. */
  questions: ReadonlyMap<string, QuestionType>;
  /** Partials a file may use: the built-in ones and the template's own. */
  partials: ReadonlySet<string>;
}

/** Helpers a template may call: the escapers, `eq`, and Handlebars' conditionals and loops. */
export const VALUE_HELPERS = new Set(["py", "toml", "yaml", "md", "sh", "docker", "json", "eq"]);
// Not `with`: it only enters a value, which `#each` and `{{#value}}` already do where that is safe.
const BLOCK_HELPERS = new Set(["if", "unless", "each"]);
const DATA_VARIABLES = new Set(["index", "key", "first", "last"]);
const TEMPLATE_KEYS = ["name", "version"];
const ESCAPERS = "{{py x}}, {{toml x}}, {{yaml x}}, {{md x}}, {{sh x}}, {{docker x}} or {{json x}}";

const VALUES: Shape = { list: "safe" };
/** The template variables that are not single values (docs/templates.md); test/team.test.ts compares them with plan.ts's context. */
const STRUCTURED: Readonly<Record<string, Shape>> = {
  dependencies: VALUES,
  devDependencies: VALUES,
  modelNotes: VALUES,
  modelLifecycle: VALUES,
  jwt: { fields: { discoveryUrl: "safe", allowedClients: VALUES, allowedAudience: VALUES, allowedScopes: VALUES } },
  apiKey: {
    fields: {
      providerName: "safe",
      baseUrlVariable: "safe",
      credential: "safe",
      variables: VALUES,
      variable: "safe",
      runtimeVariable: "safe",
      envFile: "safe",
      localRun: "safe",
    },
  },
};

/** The template variables `keys` and their shapes; `typed` are the ones a person typed as free text. */
export function templateVariables(keys: readonly string[], typed: readonly string[]): Map<string, Shape> {
  return new Map(keys.map((key) => [key, typed.includes(key) ? "typed" : (STRUCTURED[key] ?? "safe")]));
}

/** Whether text a person typed is anywhere in a value of this shape. */
function holdsTyped(shape: Shape): boolean {
  if (shape === "typed") return true;
  if (shape === "safe") return false;
  if ("list" in shape) return holdsTyped(shape.list);
  return Object.values(shape.fields).some(holdsTyped);
}

/** What `{{#each}}` over a value of this shape sees as `this`. */
function elementOf(shape: { list: Shape } | { fields: Readonly<Record<string, Shape>> }): Shape {
  if ("list" in shape) return shape.list;
  const shapes = Object.values(shape.fields);
  const first = JSON.stringify(shapes[0] ?? "safe");
  // Values of several shapes (none typed: holdsTyped was checked) are printable, but not followed further.
  return shapes.every((item) => JSON.stringify(item) === first) ? (shapes[0] ?? "safe") : "safe";
}

type Node = hbs.AST.Node & Record<string, unknown>;

export function checkTemplateSource(source: string, fileName: string, given: CheckScope): void {
  // Inline partials ({{#*inline "x"}}) count as known partials in the file that defines them.
  const inline = [...source.matchAll(/\{\{~?#\*inline\s+"([^"]+)"/g)].map((match) => match[1]!);
  const partials = new Set([...given.partials, ...inline]);
  const root: Shape = {
    fields: {
      ...Object.fromEntries(given.variables),
      team: {
        fields: Object.fromEntries(
          [...given.questions].map(([name, type]): [string, Shape] => [name, type === "text" ? "typed" : "safe"]),
        ),
      },
      template: { fields: Object.fromEntries(TEMPLATE_KEYS.map((key): [string, Shape] => [key, "safe"])) },
    },
  };
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(source);
  } catch (error) {
    throw new TemplateError(templateError(fileName, error).message);
  }
  const fail = (node: hbs.AST.Node, message: string): never => {
    throw new TemplateError(`template ${fileName}: line ${node.loc?.start.line ?? "?"}: ${message}`);
  };
  const escaperHint = (path: hbs.AST.PathExpression) =>
    `{{${path.original}}} is typed by a person: write it through the escaper for its format, ${ESCAPERS.replace(/x/g, path.original)}`;

  /** The shape a path reaches from `scopes` (innermost last); an undefined name is an error. */
  const resolve = (path: hbs.AST.PathExpression, scopes: Shape[]): Shape => {
    let parts = path.parts;
    let shape: Shape;
    let atRoot: boolean;
    if (path.data) {
      if (parts[0] !== "root") {
        if (!DATA_VARIABLES.has(parts[0] ?? "") || parts.length > 1)
          fail(path, `@${parts.join(".")} is not a variable templates can use (@index, @key, @first, @last, @root)`);
        return "safe";
      }
      [shape, atRoot, parts] = [root, true, parts.slice(1)];
    } else {
      const at = scopes.length - 1 - path.depth;
      if (at < 0) fail(path, `${path.original} goes above the top of the template`);
      [shape, atRoot] = [scopes[at]!, at === 0];
    }
    for (const [index, part] of parts.entries()) {
      if (part === "length" && (typeof shape === "string" || "list" in shape)) return "safe";
      if (typeof shape !== "string" && "list" in shape && /^\d+$/.test(part)) {
        shape = shape.list;
        continue;
      }
      const fields = typeof shape === "string" || "list" in shape ? undefined : shape.fields;
      if (!fields || !Object.hasOwn(fields, part)) fail(path, undefinedMessage(parts, index, atRoot, path));
      shape = fields![part]!;
      if (atRoot && index === 0 && part === "team" && parts.length === 1)
        fail(path, `use the answers one at a time, team.<name>, not {{${path.original}}} as a whole`);
    }
    return shape;
  };

  const undefinedMessage = (parts: string[], index: number, atRoot: boolean, path: hbs.AST.PathExpression) => {
    const [head, next] = parts;
    if (atRoot && index === 0)
      return `"${head}" is not defined (the variables are listed in docs/templates.md; the template's answers are team.<name>)`;
    if (atRoot && index === 1 && head === "team") {
      const known = [...given.questions.keys()];
      return `"team.${next}" is not defined: the template has ${known.length ? `the questions ${known.join(", ")}` : "no questions"}`;
    }
    if (atRoot && index === 1 && head === "template")
      return `"template.${next}" is not defined: template.name and template.version are`;
    return `"${path.original}" is not defined here (${parts.slice(0, index).join(".") || "this"} has no "${parts[index]}")`;
  };

  const checkExpression = (node: Node, scopes: Shape[]) => {
    if (node.type === "PathExpression") resolve(node as unknown as hbs.AST.PathExpression, scopes);
    else if (node.type === "SubExpression") checkCall(node, scopes, VALUE_HELPERS);
  };

  const checkCall = (node: Node, scopes: Shape[], allowed: Set<string>) => {
    const path = node.path as hbs.AST.PathExpression;
    if (path.type !== "PathExpression" || path.data || path.parts.length !== 1 || !allowed.has(path.original)) {
      fail(node, `unknown helper ${path.original ?? "?"}; templates can use ${[...allowed].join(", ")}`);
    }
    for (const param of (node.params as Node[] | undefined) ?? []) checkExpression(param, scopes);
    for (const pair of (node.hash as { pairs?: { value: Node }[] } | undefined)?.pairs ?? [])
      checkExpression(pair.value, scopes);
  };

  const hasArguments = (node: Node) =>
    (node.params as unknown[]).length > 0 || Boolean((node.hash as { pairs?: unknown[] } | undefined)?.pairs?.length);

  /** The scope inside a block that enters the value at `path` (`{{#each list}}`, `{{#value}}`). */
  const entered = (node: Node, path: hbs.AST.PathExpression, scopes: Shape[], how: string): Shape => {
    const shape = resolve(path, scopes);
    if (holdsTyped(shape)) {
      fail(
        node,
        shape === "typed"
          ? `{{#${how}${path.original}}} enters a value a person typed, where {{this}} would print it unescaped; write {{#if ${path.original}}}`
          : `{{#${how}${path.original}}} goes through values a person typed, where {{this}} would print them unescaped; use them one at a time, through an escaper`,
      );
    }
    return shape;
  };

  const walk = (node: Node | undefined, scopes: Shape[]): void => {
    if (!node) return;
    switch (node.type) {
      case "Program":
        if (((node as unknown as hbs.AST.Program).blockParams ?? []).length > 0)
          fail(node, "block parameters (as |x|) are not supported in templates; use this");
        for (const statement of (node as unknown as hbs.AST.Program).body) walk(statement as Node, scopes);
        return;
      case "ContentStatement":
      case "CommentStatement":
        return;
      case "MustacheStatement": {
        const path = node.path as Node;
        if (hasArguments(node)) checkCall(node, scopes, VALUE_HELPERS);
        else if (path.type === "PathExpression") {
          const expression = path as unknown as hbs.AST.PathExpression;
          const shape = resolve(expression, scopes);
          if (shape === "typed") fail(node, escaperHint(expression));
          if (holdsTyped(shape))
            fail(
              node,
              `{{${expression.original}}} holds text a person typed: print its parts one at a time, through an escaper`,
            );
        }
        return;
      }
      case "BlockStatement": {
        const path = node.path as unknown as hbs.AST.PathExpression;
        let inner: Shape[];
        if (hasArguments(node)) {
          checkCall(node, scopes, BLOCK_HELPERS);
          if (path.original === "each") {
            const [list, ...more] = node.params as Node[];
            if (list?.type !== "PathExpression" || more.length > 0)
              fail(node, "{{#each}} takes one list or object: {{#each dependencies}}");
            const shape = entered(node, list as unknown as hbs.AST.PathExpression, scopes, "each ");
            if (typeof shape === "string")
              fail(node, `{{#each ${(list as unknown as hbs.AST.PathExpression).original}}} needs a list or an object`);
            inner = [...scopes, elementOf(shape as Exclude<Shape, string>)];
          } else inner = scopes;
        } else {
          // {{#value}}…{{/value}}: iterates a list, enters an object, or (true) runs in the same context.
          const shape = entered(node, path, scopes, "");
          inner =
            typeof shape === "string"
              ? scopes
              : [...scopes, "list" in shape ? shape.list : (shape as Exclude<Shape, string>)];
        }
        walk(node.program as Node, inner);
        walk(node.inverse as Node | undefined, scopes);
        return;
      }
      case "PartialStatement": {
        const name = node.name as hbs.AST.PathExpression;
        if (name.type !== "PathExpression") fail(node, "a partial's name must be written out ({{> name}})");
        if (hasArguments(node)) fail(node, `{{> ${name.original}}} takes no arguments in templates`);
        if (!partials.has(name.original))
          fail(node, `unknown partial ${name.original}; the partials are ${[...partials].join(", ")}`);
        return;
      }
      case "DecoratorBlock": {
        // {{#*inline "name"}}…{{/inline}} defines a partial; no other decorator exists here. It may
        // be used wherever the file goes on, so its body must hold in the template's own context too.
        const path = node.path as unknown as hbs.AST.PathExpression;
        if (path.original !== "inline") fail(node, `unknown decorator ${path.original}`);
        walk(node.program as Node, scopes);
        if (scopes.length > 1) walk(node.program as Node, [root]);
        return;
      }
      default:
        fail(node, `${node.type} is not supported in templates`);
    }
  };

  walk(program as unknown as Node, [root]);
}
