import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";

/**
 * Reviewed snapshots of every combination's files, each distinct file stored once:
 * `test/__snapshots__/files/<path>/<variant>` holds one version of the generated file at <path>,
 * named after the first combination that writes it (with the file's extension, for editors), and
 * `index.json` says which version each combination writes. A template change shows as a diff of
 * the versions it changes; a change in which combinations share a version shows in the index.
 */

export const SNAPSHOTS = join(import.meta.dirname, "__snapshots__");
const INDEX = join(SNAPSHOTS, "index.json");

type Index = Record<string, Record<string, string>>;

function variantFile(path: string, variant: string): string {
  const extension = extname(path.split("/").at(-1)!.replace(/^\./, ""));
  return join(SNAPSHOTS, "files", path, `${variant}${extension}`);
}

function readIndex(): Index {
  return existsSync(INDEX) ? (JSON.parse(readFileSync(INDEX, "utf8")) as Index) : {};
}

/** The stored files of one combination (path → contents); undefined when it has no snapshot. */
export function readSnapshot(combination: string, index = readIndex()): Record<string, string> | undefined {
  const paths = index[combination];
  if (!paths) return undefined;
  return Object.fromEntries(
    Object.entries(paths).map(([path, variant]) => [path, readFileSync(variantFile(path, variant), "utf8")]),
  );
}

/** Every combination's stored files, by combination name. */
export function readSnapshots(): Map<string, Record<string, string>> {
  const index = readIndex();
  return new Map(Object.keys(index).map((combination) => [combination, readSnapshot(combination, index)!]));
}

/** Replaces the store with these combinations' files (in this order, which names the versions). */
export function writeSnapshots(all: Map<string, Record<string, string>>): void {
  rmSync(SNAPSHOTS, { recursive: true, force: true });
  const index: Index = {};
  const versions = new Map<string, Map<string, string>>(); // path → contents → variant
  for (const [combination, files] of all) {
    index[combination] = {};
    for (const [path, contents] of Object.entries(files)) {
      const known = versions.get(path) ?? new Map<string, string>();
      versions.set(path, known);
      let variant = known.get(contents);
      if (variant === undefined) {
        variant = combination;
        known.set(contents, variant);
        mkdirSync(dirname(variantFile(path, variant)), { recursive: true });
        writeFileSync(variantFile(path, variant), contents);
      }
      index[combination][path] = variant;
    }
  }
  writeFileSync(INDEX, `${JSON.stringify(index, null, 2)}\n`);
}
