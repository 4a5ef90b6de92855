import Handlebars from "handlebars";
import { templateError } from "../render.js";
import { type QuestionType, TemplateError } from "./manifest.js";

/**
 * Static checks of a team template's Handlebars source, before any answer is known: syntax, every
 * variable it names, every helper and partial, and that what a person typed goes through an
 * escaper. Rendering the whole project in strict mode afterwards catches the rest for the actual
 * answers.
 */

export interface CheckScope {
  /** Top-level names of the template context (`region`, `modelId`, `team`, `template`, …). */
  rootKeys: ReadonlySet<string>;
  /** Those of them a person typed as free text: only through an escaper (`{{md description}}`). */
  freeText: ReadonlySet<string>;
  /** The template's questions: `team.<name>`. */
  questions: ReadonlyMap<string, QuestionType>;
  /** Partials a file may use: the built-in ones and the template's own. */
  partials: ReadonlySet<string>;
}

/** Helpers a template may call: the escapers, `eq`, and Handlebars' conditionals and loops. */
export const VALUE_HELPERS = new Set(["py", "toml", "yaml", "md", "sh", "docker", "json", "eq"]);
// Not `with`: entering a typed value would let `{{this}}` print it unescaped.
const BLOCK_HELPERS = new Set(["if", "unless", "each"]);
const DATA_VARIABLES = new Set(["index", "key", "first", "last"]);
const TEMPLATE_KEYS = new Set(["name", "version"]);
const ESCAPERS = "{{py x}}, {{toml x}}, {{yaml x}}, {{md x}}, {{sh x}}, {{docker x}} or {{json x}}";

type Scope = "root" | "other";
type Node = hbs.AST.Node & Record<string, unknown>;

export function checkTemplateSource(source: string, fileName: string, given: CheckScope): void {
  // Inline partials ({{#*inline "x"}}) count as known partials in the file that defines them.
  const inline = [...source.matchAll(/\{\{~?#\*inline\s+"([^"]+)"/g)].map((match) => match[1]!);
  const scope: CheckScope = { ...given, partials: new Set([...given.partials, ...inline]) };
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(source);
  } catch (error) {
    throw new TemplateError(templateError(fileName, error).message);
  }
  const fail = (node: hbs.AST.Node, message: string): never => {
    throw new TemplateError(`template ${fileName}: line ${node.loc?.start.line ?? "?"}: ${message}`);
  };

  const checkPath = (path: hbs.AST.PathExpression, scopes: Scope[], bare: boolean) => {
    const parts = path.parts;
    if (path.data) {
      if (parts[0] === "root") return checkRootPath(path, parts.slice(1), bare);
      if (!DATA_VARIABLES.has(parts[0] ?? ""))
        fail(path, `@${parts.join(".")} is not a variable templates can use (@index, @key, @first, @last, @root)`);
      return;
    }
    const at = scopes[scopes.length - 1 - path.depth];
    if (at === undefined) fail(path, `${path.original} goes above the top of the template`);
    if (at === "other" || parts.length === 0) return;
    checkRootPath(path, parts, bare);
  };

  const checkRootPath = (node: hbs.AST.PathExpression, parts: string[], bare: boolean) => {
    const [head, next] = parts;
    if (head === undefined) return;
    if (head === "team") {
      if (next === undefined)
        fail(node, `use the answers one at a time, team.<name>, not {{${node.original}}} as a whole`);
      const type = scope.questions.get(next);
      if (type === undefined) {
        const known = [...scope.questions.keys()];
        fail(
          node,
          `"team.${next}" is not defined: the template has ${known.length ? `the questions ${known.join(", ")}` : "no questions"}`,
        );
      }
      if (bare && type === "text")
        fail(
          node,
          `{{${node.original}}} is typed by a person: write it through the escaper for its format, ${ESCAPERS.replace(/x/g, node.original)}`,
        );
      return;
    }
    if (head === "template") {
      if (next !== undefined && !TEMPLATE_KEYS.has(next))
        fail(node, `"template.${next}" is not defined: template.name and template.version are`);
      return;
    }
    if (!scope.rootKeys.has(head))
      fail(
        node,
        `"${head}" is not defined (the variables are listed in docs/templates.md; the template's answers are team.<name>)`,
      );
    if (bare && scope.freeText.has(head))
      fail(
        node,
        `{{${node.original}}} is typed by a person: write it through the escaper for its format, ${ESCAPERS.replace(/x/g, node.original)}`,
      );
  };

  const checkExpression = (node: Node, scopes: Scope[]) => {
    if (node.type === "PathExpression") checkPath(node as unknown as hbs.AST.PathExpression, scopes, false);
    else if (node.type === "SubExpression") checkCall(node, scopes, VALUE_HELPERS);
  };

  const checkArguments = (node: Node, scopes: Scope[]) => {
    for (const param of (node.params as Node[] | undefined) ?? []) checkExpression(param, scopes);
    for (const pair of (node.hash as { pairs?: { value: Node }[] } | undefined)?.pairs ?? [])
      checkExpression(pair.value, scopes);
  };

  const checkCall = (node: Node, scopes: Scope[], allowed: Set<string>) => {
    const path = node.path as hbs.AST.PathExpression;
    if (path.type !== "PathExpression" || path.data || path.parts.length !== 1 || !allowed.has(path.original)) {
      fail(node, `unknown helper ${path.original ?? "?"}; templates can use ${[...allowed].join(", ")}`);
    }
    checkArguments(node, scopes);
  };

  const walk = (node: Node | undefined, scopes: Scope[]): void => {
    if (!node) return;
    switch (node.type) {
      case "Program":
        for (const statement of (node as unknown as hbs.AST.Program).body) walk(statement as Node, scopes);
        return;
      case "ContentStatement":
      case "CommentStatement":
        return;
      case "MustacheStatement": {
        const path = node.path as Node;
        const hasArguments =
          (node.params as unknown[]).length > 0 ||
          Boolean((node.hash as { pairs?: unknown[] } | undefined)?.pairs?.length);
        if (hasArguments) checkCall(node, scopes, VALUE_HELPERS);
        else if (path.type === "PathExpression") checkPath(path as unknown as hbs.AST.PathExpression, scopes, true);
        return;
      }
      case "BlockStatement": {
        const path = node.path as unknown as hbs.AST.PathExpression;
        const hasArguments =
          (node.params as unknown[]).length > 0 ||
          Boolean((node.hash as { pairs?: unknown[] } | undefined)?.pairs?.length);
        let inner: Scope[];
        if (hasArguments) {
          checkCall(node, scopes, BLOCK_HELPERS);
          inner = path.original === "each" || path.original === "with" ? [...scopes, "other"] : scopes;
        } else {
          // {{#value}}…{{/value}}: iterates or enters the value, so names inside are relative to it.
          checkPath(path, scopes, false);
          const head = path.data ? (path.parts[0] === "root" ? path.parts[1] : undefined) : path.parts[0];
          if (
            head !== undefined &&
            (head === "team" || scope.freeText.has(head)) &&
            (path.data || scopes[scopes.length - 1 - path.depth] === "root")
          ) {
            fail(
              node,
              `{{#${path.original}}} enters a value a person typed, where {{this}} would print it unescaped; write {{#if ${path.original}}}`,
            );
          }
          inner = [...scopes, "other"];
        }
        walk(node.program as Node, inner);
        walk(node.inverse as Node | undefined, scopes);
        return;
      }
      case "PartialStatement": {
        const name = node.name as hbs.AST.PathExpression;
        if (name.type !== "PathExpression") fail(node, "a partial's name must be written out ({{> name}})");
        if ((node.params as unknown[]).length > 0 || (node.hash as { pairs?: unknown[] } | undefined)?.pairs?.length) {
          fail(node, `{{> ${name.original}}} takes no arguments in templates`);
        }
        if (!scope.partials.has(name.original))
          fail(node, `unknown partial ${name.original}; the partials are ${[...scope.partials].join(", ")}`);
        return;
      }
      case "DecoratorBlock": {
        // {{#*inline "name"}}…{{/inline}} defines a partial; no other decorator exists here.
        const path = node.path as unknown as hbs.AST.PathExpression;
        if (path.original !== "inline") fail(node, `unknown decorator ${path.original}`);
        walk(node.program as Node, scopes);
        return;
      }
      default:
        fail(node, `${node.type} is not supported in templates`);
    }
  };

  walk(program as unknown as Node, ["root"]);
}
