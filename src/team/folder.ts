import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { quoted } from "../escape.js";
import { outputPath } from "../layer.js";
import { MAX_BYTES, MAX_DEPTH, MAX_FILES, MAX_MANIFEST_BYTES } from "./limits.js";
import { MANIFEST_FILE, type Manifest, parseManifest, TemplateError } from "./manifest.js";
import { projectPathProblem, sameFileClash } from "./paths.js";

/** A team template folder as text: its manifest, its files and partials, and a hash of both. */
export interface TemplateFolder {
  manifest: Manifest;
  /** Path under files/ → source (`.hbs` files are templates, others are copied). */
  files: Map<string, string>;
  /** Partial name (files/partials/NAME.hbs) → source. */
  partials: Map<string, string>;
  /** SHA-256 of the manifest and every file under files/: what the output depends on. */
  sha256: string;
}

/** The folder under a template's root that holds the project's files. */
export const FILES_DIR = "files";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}

/**
 * Reads a template folder and checks everything that does not depend on the answers: the
 * manifest against the schema, every file's landing place, symbolic links, text encoding and
 * size. `label` names the template in errors.
 */
export function readTemplateFolder(dir: string, label: string): TemplateFolder {
  let root: string;
  try {
    root = realpathSync(dir);
    if (!statSync(root).isDirectory()) throw new TemplateError(`${label}: not a folder`);
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    throw new TemplateError(`${label}: no such folder`);
  }

  const hash = createHash("sha256");
  const manifestPath = join(root, MANIFEST_FILE);
  const manifestStat = lstatOrNull(manifestPath);
  if (!manifestStat)
    throw new TemplateError(
      `${label}: no ${MANIFEST_FILE} at its root; a team template is a folder with ${MANIFEST_FILE} and ${FILES_DIR}/`,
    );
  const manifestText = readText(
    root,
    manifestPath,
    `${label}/${MANIFEST_FILE}`,
    MAX_MANIFEST_BYTES,
    `${label}/${MANIFEST_FILE}: larger than ${MAX_MANIFEST_BYTES / 1024} KB`,
  );
  const manifest = parseManifest(manifestText, `${label}/${MANIFEST_FILE}`);
  hash.update(`${MANIFEST_FILE}\0${Buffer.byteLength(manifestText)}\0`).update(manifestText);

  const files = new Map<string, string>();
  const partials = new Map<string, string>();
  const filesRoot = join(root, FILES_DIR);
  const filesStat = lstatOrNull(filesRoot);
  if (filesStat && !filesStat.isDirectory()) throw new TemplateError(`${label}/${FILES_DIR}: must be a folder`);
  let bytes = 0;
  const sources: [string, string][] = [];
  if (filesStat) {
    const walk = (folder: string, prefix: string, depth: number) => {
      if (depth > MAX_DEPTH)
        throw new TemplateError(`${label}/${FILES_DIR}/${prefix}: more than ${MAX_DEPTH} folders deep`);
      for (const name of readdirSync(folder).sort()) {
        const full = join(folder, name);
        const templatePath = prefix + name;
        const shown = `${label}/${FILES_DIR}/${templatePath}`;
        const stat = lstatSync(full);
        if (stat.isDirectory()) {
          walk(full, `${templatePath}/`, depth + 1);
          continue;
        }
        if (!stat.isFile() && !stat.isSymbolicLink()) throw new TemplateError(`${shown}: not a regular file`);
        // Counted before reading, so an oversized template is refused without being read.
        if (sources.length + 1 > MAX_FILES) throw new TemplateError(`${label}: more than ${MAX_FILES} files`);
        const text = readText(
          root,
          full,
          shown,
          MAX_BYTES - bytes,
          `${label}: more than ${MAX_BYTES / 1024 / 1024} MB of files`,
        );
        bytes += Buffer.byteLength(text);
        sources.push([templatePath, text]);
      }
    };
    walk(filesRoot, "", 1);
  }

  const landing = new Map<string, string>(); // output path → template path
  for (const [templatePath, text] of sources) {
    hash.update(`${FILES_DIR}/${templatePath}\0${Buffer.byteLength(text)}\0`).update(text);
    const shown = `${label}/${FILES_DIR}/${templatePath}`;
    if (templatePath.startsWith("partials/")) {
      const name = templatePath.slice("partials/".length).replace(/\..*$/, "");
      if (templatePath.slice("partials/".length).includes("/") || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
        throw new TemplateError(
          `${shown}: a partial is files/partials/NAME.hbs, NAME a letter then letters, digits, _ or -`,
        );
      }
      if (partials.has(name)) throw new TemplateError(`${shown}: a second partial named "${name}"`);
      partials.set(name, text);
      continue;
    }
    const path = outputPath(templatePath);
    const problem = projectPathProblem(path);
    if (problem) throw new TemplateError(`${shown}: would be written to ${quoted(path)}, ${problem}; refused`);
    const other = landing.get(path);
    if (other !== undefined) throw new TemplateError(`${shown}: lands on ${path}, as ${FILES_DIR}/${other} does`);
    landing.set(path, templatePath);
    files.set(templatePath, text);
  }
  const clash = sameFileClash(landing.keys());
  if (clash)
    throw new TemplateError(
      `${label}/${FILES_DIR}: ${clash[0]} and ${clash[1]} are the same file on Windows and macOS`,
    );

  for (const [index, given] of manifest.replaces.entries()) {
    const shown = `${label}/${MANIFEST_FILE}: replaces[${index}]`;
    // A {{agentDir}} part is where the agent's own files are, as in files/.
    const path = outputPath(given);
    const problem = projectPathProblem(path);
    if (problem) throw new TemplateError(`${shown}: ${quoted(path)} is ${problem}`);
    if (!landing.has(path)) throw new TemplateError(`${shown}: no file under ${FILES_DIR}/ lands on ${path}`);
  }
  return { manifest, files, partials, sha256: hash.digest("hex") };
}

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/**
 * A file's text, refused with `tooLarge` past `maxBytes` before it is read; a symbolic link is
 * followed only to a file inside the template.
 */
function readText(root: string, path: string, shown: string, maxBytes: number, tooLarge: string): string {
  if (lstatSync(path).isSymbolicLink()) {
    if (!isInside(root, resolve(dirname(path), readlinkSync(path)))) {
      throw new TemplateError(`${shown}: a symbolic link that points outside the template; refused`);
    }
    let target: string;
    try {
      target = realpathSync(path);
    } catch {
      throw new TemplateError(`${shown}: a symbolic link to nothing`);
    }
    if (!isInside(root, target))
      throw new TemplateError(`${shown}: a symbolic link that points outside the template; refused`);
    if (!statSync(target).isFile())
      throw new TemplateError(`${shown}: a symbolic link to something that is not a file`);
  }
  if (statSync(path).size > maxBytes) throw new TemplateError(tooLarge);
  const data = readFileSync(path);
  if (data.includes(0)) throw new TemplateError(`${shown}: a binary file; templates hold text files only`);
  try {
    return utf8.decode(data);
  } catch {
    throw new TemplateError(`${shown}: not UTF-8 text; templates hold text files only`);
  }
}
