import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";

// The source tree's imports form no loop: a module never reaches itself through what it imports,
// type-only and lazy imports included (a loop through types is still two modules that cannot be
// understood apart). Chunking is decided in scripts/build.mjs, not by imports added for it.

const SRC = join(import.meta.dirname, "..", "src");

/** Every module of src/ and the modules of src/ it imports, by path relative to src/. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = readdirSync(SRC, { recursive: true, withFileTypes: true }).filter(
    (entry) => entry.isFile() && entry.name.endsWith(".ts"),
  );
  for (const entry of files) {
    const file = join(entry.parentPath, entry.name);
    // Comments may show imports as examples; they are not imports.
    const text = readFileSync(file, "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "");
    const specifiers = [
      ...text.matchAll(
        /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*"(\.[^"]+)"|import\(\s*"(\.[^"]+)"\s*\)|(?:^|\n)\s*import\s+"(\.[^"]+)"/g,
      ),
    ].map((match) => match[1] ?? match[2] ?? match[3]!);
    const targets = specifiers
      .filter((spec) => spec.endsWith(".js"))
      .map((spec) => relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, ".ts"))));
    graph.set(relative(SRC, file), targets);
  }
  return graph;
}

/** The loops of a graph: its strongly connected components of more than one node (or a self-import). */
function loops(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

test("the sources import one another without loops", () => {
  const graph = importGraph();
  assert.ok(graph.size > 20, `only ${graph.size} modules found`);
  assert.ok(graph.get("cli.ts")?.includes("registry.ts"), "the import reader found no imports of cli.ts");
  assert.deepEqual(loops(graph), []);
});

test("the loop check finds a loop, through type-only and lazy imports too", () => {
  const graph = new Map([
    ["a.ts", ["b.ts"]],
    ["b.ts", ["c.ts"]],
    ["c.ts", ["a.ts"]],
    ["d.ts", ["a.ts"]],
  ]);
  assert.deepEqual(loops(graph), [["a.ts", "b.ts", "c.ts"]]);
});
