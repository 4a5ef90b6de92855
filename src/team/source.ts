import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { gunzipSync } from "node:zlib";
import { choiceValues } from "../registry.js";
import { TemplateError } from "./manifest.js";

/**
 * Where a template comes from (`--template SOURCE`): a built-in name, a local folder, or a remote
 * reference that giget fetches (`gh:org/repo/path#ref`, `gitlab:…`, `bitbucket:…`,
 * `sourcehut:…`, an `https://…` tarball). Remote templates are cached, so `--offline` can use
 * them again without the network.
 */

export type Provider = "github" | "gitlab" | "bitbucket" | "sourcehut" | "http";

export type TemplateSource =
  | { kind: "builtin"; given: string; framework: string }
  | { kind: "local"; given: string; dir: string }
  | {
      kind: "remote";
      given: string;
      provider: Provider;
      prefix: string;
      tarball: string;
      ref?: string;
      subdir: string;
    };

const PROVIDERS: Record<string, Provider> = {
  gh: "github",
  github: "github",
  gitlab: "gitlab",
  bitbucket: "bitbucket",
  sourcehut: "sourcehut",
  http: "http",
  https: "http",
};

const REMOTE_FORMS =
  "gh:org/repo[/path][#ref], gitlab:group/repo[::path][#ref], bitbucket:org/repo[/path][#ref], sourcehut:user/repo[/path][#ref], or an https:// URL of a .tar.gz";

// giget's own grammar for these references (src/_utils.ts, parseGitURI), anchored at the end.
const GIT_REF = /^(?<repo>[-\w.]+\/[-\w.]+)(?<subdir>\/[^#]*)?(?:#(?<ref>[-\w./@]+))?$/;
const GITLAB_REF = /^(?<repo>[-\w.]+(?:\/[-\w.]+)+?)(?:::(?<subdir>[^#]*))?(?:#(?<ref>[-\w./@]+))?$/;

/** Query parameters that carry a credential: never recorded, so refused in a template URL. */
const SECRET_PARAM =
  /^(x-amz-(signature|credential|security-token)|sig|signature|token|access_token|private_token|auth|key|api_key|apikey|password)$/i;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

/**
 * Classifies SOURCE. A relative folder is resolved against `baseDir` (the current directory, or
 * the folder of the preset that names it).
 */
export function parseSource(given: string, baseDir: string): TemplateSource {
  if (choiceValues("framework").includes(given)) return { kind: "builtin", given, framework: given };
  const scheme = given.match(/^([A-Za-z][A-Za-z0-9+.-]+):/)?.[1]; // two letters at least: C:\ is a folder
  if (scheme === undefined) {
    if (given.trim() === "") throw new TemplateError("--template: empty");
    return { kind: "local", given, dir: resolve(baseDir, given) };
  }
  const provider = PROVIDERS[scheme.toLowerCase()];
  if (!provider)
    throw new TemplateError(`--template ${given}: unsupported source "${scheme}:"; use a folder, ${REMOTE_FORMS}`);
  if (provider === "http") return httpSource(given);

  const rest = given.slice(scheme.length + 1);
  const match = (provider === "gitlab" ? GITLAB_REF : GIT_REF).exec(rest);
  if (!match?.groups)
    throw new TemplateError(`--template ${given}: not a ${scheme}: reference; expected ${REMOTE_FORMS}`);
  const { repo, subdir = "", ref = "main" } = match.groups as { repo: string; subdir?: string; ref?: string };
  const cleanSubdir = subdir.replace(/^\/+|\/+$/g, "");
  if (cleanSubdir.split("/").some((part) => part === ".." || part === "."))
    throw new TemplateError(`--template ${given}: the path inside the repository must not contain . or ..`);
  const tarball = {
    github: () =>
      `${(process.env.GIGET_GITHUB_URL || "https://api.github.com").replace(/\/$/, "")}/repos/${repo}/tarball/${ref}`,
    gitlab: () =>
      `${(process.env.GIGET_GITLAB_URL || "https://gitlab.com").replace(/\/$/, "")}/${repo}/-/archive/${ref}.tar.gz`,
    bitbucket: () => `https://bitbucket.org/${repo}/get/${ref}.tar.gz`,
    sourcehut: () => `https://git.sr.ht/~${repo}/archive/${ref}.tar.gz`,
  }[provider]();
  return { kind: "remote", given, provider, prefix: scheme.toLowerCase(), tarball, ref, subdir: cleanSubdir };
}

function httpSource(given: string): TemplateSource {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new TemplateError(`--template ${given}: not a URL`);
  }
  if (url.username || url.password) {
    throw new TemplateError(
      `--template: a URL must not carry credentials (they would be recorded in the project); put the token in GIGET_AUTH`,
    );
  }
  for (const name of url.searchParams.keys()) {
    if (SECRET_PARAM.test(name)) {
      throw new TemplateError(
        `--template: the URL's "${name}" parameter looks like a credential, which would be recorded in the project; serve the template with a token in GIGET_AUTH instead`,
      );
    }
  }
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname)) {
    throw new TemplateError(
      `--template ${given}: use https (plain http is accepted only from this machine, 127.0.0.1 or localhost)`,
    );
  }
  return { kind: "remote", given, provider: "http", prefix: url.protocol.slice(0, -1), tarball: url.href, subdir: "" };
}

/** What a fetch learned besides the files. */
export interface FetchInfo {
  /** The commit the tarball was made from, when it says (git archive, GitHub, GitLab). */
  commit?: string;
}

export interface Fetched {
  dir: string;
  info: FetchInfo;
  /** Served from the cache rather than the network. */
  cached: boolean;
}

function entryDir(templatesCache: string, source: TemplateSource & { kind: "remote" }): string {
  const key = createHash("sha256").update(source.given).digest("hex").slice(0, 24);
  return join(templatesCache, key);
}

/** The copy of a remote template in the cache folder `templatesCache`, if there is one. */
export function cached(templatesCache: string, source: TemplateSource & { kind: "remote" }): Fetched | undefined {
  const entry = entryDir(templatesCache, source);
  try {
    const meta = JSON.parse(readFileSync(join(entry, "fetched.json"), "utf8")) as { source?: string; commit?: string };
    if (meta.source !== source.given || !existsSync(join(entry, "template"))) return undefined;
    return { dir: join(entry, "template"), info: meta.commit ? { commit: meta.commit } : {}, cached: true };
  } catch {
    return undefined;
  }
}

export interface FetchOptions {
  env: NodeJS.ProcessEnv;
  /** The cache folder of fetched templates. */
  templatesCache: string;
  /** The whole fetch, connection to last byte, must finish within this. */
  timeoutMs: number;
}

/** The largest tarball fetched: templates are text. */
const MAX_TARBALL_BYTES = 20 * 1024 * 1024;

/**
 * Fetches a remote template with giget into the cache and returns the cached folder. The token in
 * GIGET_AUTH is sent as `Authorization: Bearer …` and is never written anywhere.
 */
export async function fetchRemote(
  source: TemplateSource & { kind: "remote" },
  options: FetchOptions,
): Promise<Fetched> {
  const { downloadTemplate } = await import("giget");
  const entry = entryDir(options.templatesCache, source);
  const root = options.templatesCache;
  mkdirSync(root, { recursive: true });
  const staging = join(root, `.fetch-${randomBytes(6).toString("hex")}`);
  const info: FetchInfo = {};
  let failure: unknown;

  // giget writes the tarball into its own cache folder ($XDG_CACHE_HOME/giget) before unpacking
  // it; point that into a scratch folder of ours, removed afterwards, so the only copy kept is ours.
  const savedXdg = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = join(staging, "giget-cache");
  try {
    const provider = () => ({
      name: "template",
      version: randomBytes(6).toString("hex"),
      subdir: source.subdir,
      tar: async ({ auth }: { auth?: string } = {}) => {
        try {
          const body = await download(source, auth, options);
          let problem: string | undefined;
          try {
            problem = tarballProblem(tarEntries(unzipped(body)));
          } catch (error) {
            problem = `not a .tar.gz (${(error as Error).message})`;
          }
          if (problem) throw new TemplateError(`--template ${source.given}: ${problem}; refused`);
          info.commit = commitOf(body);
          return Readable.from([body]);
        } catch (error) {
          failure = error;
          throw error;
        }
      },
    });
    const reference =
      source.provider === "http" ? source.tarball : `${source.prefix}:${source.given.slice(source.prefix.length + 1)}`;
    await downloadTemplate(reference, {
      dir: join(staging, "template"),
      force: true,
      registry: false,
      offline: false,
      providers: { [source.prefix]: provider },
      // giget itself reads GIGET_AUTH from the environment; the run's environment is the same.
      auth: options.env.GIGET_AUTH,
      silent: true,
    });
    if (failure) throw failure;
    rmSync(join(staging, "giget-cache"), { recursive: true, force: true });
    writeFileSync(join(staging, "fetched.json"), `${JSON.stringify({ source: source.given, ...info }, null, 2)}\n`);
    // Replace the cached copy in one step; if another run got there first, theirs is as good.
    const old = `${entry}.old-${randomBytes(4).toString("hex")}`;
    if (existsSync(entry)) renameSync(entry, old);
    try {
      renameSync(staging, entry);
    } catch {
      return { dir: join(staging, "template"), info, cached: false };
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
    return { dir: join(entry, "template"), info, cached: false };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (error instanceof TemplateError) throw error;
    throw new TemplateError(
      `--template ${source.given}: could not unpack the download (${(error as Error).message.split("\n")[0]})`,
    );
  } finally {
    if (savedXdg === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = savedXdg;
  }
}

async function download(
  source: TemplateSource & { kind: "remote" },
  auth: string | undefined,
  options: FetchOptions,
): Promise<Buffer> {
  const url = source.tarball;
  const host = new URL(url).host;
  const seconds = Math.round(options.timeoutMs / 100) / 10;
  const what = `--template ${source.given}`;
  const hint = cachedHint(options.templatesCache, source);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetch(url, {
      headers: {
        ...(auth && { authorization: `Bearer ${auth}` }),
        ...(source.provider === "github" && {
          accept: "application/vnd.github+json",
          "x-github-api-version": "2022-11-28",
        }),
      },
      redirect: "follow",
      signal,
    });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new TemplateError(
        auth
          ? `${what}: ${host} refused the token in GIGET_AUTH (HTTP ${response.status}); check that it can read the repository`
          : `${what}: ${host} needs a token (HTTP ${response.status}); set GIGET_AUTH to one that can read it`,
      );
    }
    if (response.status === 404) {
      await response.body?.cancel();
      const why = auth
        ? "or the token in GIGET_AUTH cannot read it"
        : "or private: set GIGET_AUTH to a token that can read it";
      throw new TemplateError(
        `${what}: not found on ${host} (HTTP 404); check the name${source.ref ? " and the ref" : ""}, ${why}`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new TemplateError(`${what}: ${host} answered HTTP ${response.status}${hint}`);
    }
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > MAX_TARBALL_BYTES)
      throw new TemplateError(`${what}: the download is larger than ${MAX_TARBALL_BYTES / 1024 / 1024} MB`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body ?? []) {
      size += (chunk as Uint8Array).byteLength;
      if (size > MAX_TARBALL_BYTES)
        throw new TemplateError(`${what}: the download is larger than ${MAX_TARBALL_BYTES / 1024 / 1024} MB`);
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
    return Buffer.concat(chunks);
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    if (signal.aborted) throw new TemplateError(`${what}: no complete answer from ${host} within ${seconds} s${hint}`);
    const code = networkCode(error);
    const offline = /^(ENOTFOUND|EAI_AGAIN|ENETUNREACH|ENETDOWN|EHOSTUNREACH)$/.test(code);
    throw new TemplateError(`${what}: ${offline ? "no network" : "cannot reach"} ${host} (${code})${hint}`);
  }
}

/** ECONNREFUSED, ENOTFOUND…: the code under fetch's "fetch failed", else the innermost message. */
function networkCode(error: unknown): string {
  let current = error as { code?: string; cause?: unknown; message?: string } | undefined;
  let message = "error";
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === "string") return current.code;
    if (typeof current.message === "string") message = current.message.split("\n")[0]!;
    current = current.cause as typeof current;
  }
  return message;
}

function cachedHint(templatesCache: string, source: TemplateSource & { kind: "remote" }): string {
  return cached(templatesCache, source) ? "; a copy fetched earlier is cached: add --offline to use it" : "";
}

/** One entry of a tar archive: its path, its type flag and, for links, its target. */
export interface TarEntry {
  path: string;
  type: string;
  linkpath: string;
}

function field(block: Buffer, start: number, length: number): string {
  return block
    .subarray(start, start + length)
    .toString("utf8")
    .replace(/\0.*$/s, "");
}

function paxRecords(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  for (const match of data.toString("utf8").matchAll(/^\d+ ([^=\n]+)=(.*)$/gm)) records[match[1]!] = match[2]!;
  return records;
}

/** The entries of an uncompressed tar archive (ustar, pax and GNU long names). */
export function tarEntries(tar: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let pending: { path?: string; linkpath?: string } = {};
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = parseInt(field(header, 124, 12).trim() || "0", 8);
    if (!Number.isFinite(size) || size < 0) throw new Error("a damaged tar header");
    const data = tar.subarray(offset + 512, offset + 512 + size);
    const type = String.fromCharCode(header[156]!) || "0";
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "g") continue;
    if (type === "x") {
      const records = paxRecords(data);
      pending = {
        ...(records.path !== undefined && { path: records.path }),
        ...(records.linkpath !== undefined && { linkpath: records.linkpath }),
      };
      continue;
    }
    if (type === "L") {
      pending.path = data.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    if (type === "K") {
      pending.linkpath = data.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    const prefix = header.subarray(257, 263).toString("latin1").startsWith("ustar") ? field(header, 345, 155) : "";
    const name = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
    entries.push({ path: pending.path ?? name, type, linkpath: pending.linkpath ?? field(header, 157, 100) });
    pending = {};
  }
  return entries;
}

/**
 * What is wrong with a template tarball, or undefined: an entry that would be written, or would
 * point, outside the folder it unpacks into, or one that is not a file, a folder or a link.
 * (giget's tar quietly skips such entries; a template that has them is refused instead.)
 */
export function tarballProblem(entries: TarEntry[]): string | undefined {
  for (const entry of entries) {
    // giget drops the top-level folder, as GitHub's tarballs have one.
    const parts = entry.path.replace(/^\.\//, "").split("/").slice(1);
    const path = parts.join("/");
    if (entry.path.startsWith("/") || parts.includes(".."))
      return `the entry ${JSON.stringify(entry.path)} would be written outside the template`;
    if (!["0", "\0", "5", "1", "2", "7"].includes(entry.type))
      return `the entry ${JSON.stringify(entry.path)} is not a file, a folder or a link`;
    if (entry.type === "1" || entry.type === "2") {
      const base = entry.type === "2" ? parts.slice(0, -1) : [];
      const target = entry.type === "2" ? entry.linkpath : entry.linkpath.split("/").slice(1).join("/");
      if (target.startsWith("/") || /^[A-Za-z]:/.test(target))
        return `${JSON.stringify(path)} is a link to ${JSON.stringify(entry.linkpath)}, outside the template`;
      const resolved: string[] = [...base];
      for (const part of target.split("/")) {
        if (part === "..") {
          if (resolved.length === 0)
            return `${JSON.stringify(path)} is a link to ${JSON.stringify(entry.linkpath)}, outside the template`;
          resolved.pop();
        } else if (part !== "." && part !== "") resolved.push(part);
      }
    }
  }
  return undefined;
}

/** The archive inside a tarball: gzip is undone, a plain tar is returned as it is. */
export function unzipped(tarball: Buffer): Buffer {
  return tarball[0] === 0x1f && tarball[1] === 0x8b ? gunzipSync(tarball) : tarball;
}

/**
 * The commit a tarball was made from: `git archive` (and so GitHub and GitLab) puts it in a pax
 * global header, `comment=<sha>`, as the first entry.
 */
export function commitOf(tarball: Buffer): string | undefined {
  let tar: Buffer;
  try {
    tar = unzipped(tarball);
  } catch {
    return undefined;
  }
  if (tar.length < 1024 || String.fromCharCode(tar[156]!) !== "g") return undefined;
  const size = parseInt(tar.subarray(124, 136).toString("latin1").replace(/\0.*$/s, "").trim(), 8);
  if (!Number.isFinite(size) || size <= 0 || size > 8192) return undefined;
  return paxRecords(tar.subarray(512, 512 + size)).comment?.match(/^([0-9a-f]{40}|[0-9a-f]{64})$/)?.[1];
}
