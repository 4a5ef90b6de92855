import { resolve } from "node:path";
import { choiceValues } from "../registry.js";
import { TemplateError } from "./manifest.js";

/**
 * Where a template comes from (`--template SOURCE`): a built-in name, a local folder, or a remote
 * reference (`gh:org/repo/path#ref`, `gitlab:…`, `bitbucket:…`, `sourcehut:…` in giget's
 * grammar, or an `https://…` tarball), fetched by fetch.ts and cached by cache.ts. Pure.
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

/**
 * URL parameters (query or fragment) that carry a credential, refused in a template URL: the URL
 * is recorded in the project, printed and cached. Signed URLs (S3 `X-Amz-*`, Cloud Storage
 * `X-Goog-*`, Azure SAS `sig`, CloudFront `Signature`) and tokens, keys and passwords by any
 * common name. The README lists them.
 */
const CREDENTIAL_PARAM =
  /^(x-amz-.*|x-goog-.*|sig|key|auth|jwt|.*(token|secret|passw(or)?d|signature|credential|api[-_]?key|access[-_]?key|private[-_]?key|session).*)$/i;

/** Hosts plain http is accepted from: this machine. */
export const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

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
  // `%2e` is a dot to the server that reads the URL: one more way to spell . and ..
  const isDots = (part: string) => /^(\.|%2e){1,2}$/i.test(part);
  if (repo.split("/").some(isDots))
    throw new TemplateError(
      `--template ${given}: the repository's name must not be . or .. (it would name another one)`,
    );
  if (cleanSubdir.split("/").some(isDots))
    throw new TemplateError(`--template ${given}: the path inside the repository must not contain . or ..`);
  const refProblem = gitRefProblem(ref);
  if (refProblem) throw new TemplateError(`--template ${given}: the ref ${JSON.stringify(ref)} ${refProblem}`);
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
  for (const name of [...url.searchParams.keys(), ...new URLSearchParams(url.hash.slice(1)).keys()]) {
    if (CREDENTIAL_PARAM.test(name)) {
      throw new TemplateError(
        `--template: the URL's ${JSON.stringify(name)} parameter looks like a credential, which would be recorded in the project; serve the template with a token in GIGET_AUTH instead`,
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

/**
 * What is wrong with a branch, tag or commit name, or undefined: git's own rules
 * (git check-ref-format) for the parts that matter in a URL, so a ref names a ref of this
 * repository and cannot climb out of the path it is put in (`../../other`).
 */
export function gitRefProblem(ref: string): string | undefined {
  const parts = ref.split("/");
  if (parts.some((part) => part === "")) return "has an empty part (a leading, trailing or double /)";
  if (parts.some((part) => part.startsWith("."))) return "has a part that starts with a dot (. and .. among them)";
  if (ref.includes("..")) return "contains ..";
  if (parts.some((part) => part.endsWith(".lock")) || ref.endsWith(".")) return "ends in .lock or a dot";
  if (ref === "@") return "is @, which is not a ref";
  return undefined;
}
