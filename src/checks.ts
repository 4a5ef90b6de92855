import { basename, resolve } from "node:path";
import { quoted } from "./escape.js";
import { CATALOG_CHECKED, KNOWN_REGIONS } from "./models/catalog.js";
import { isValidRegion } from "./models/resolve.js";
import { nearest } from "./nearest.js";

/**
 * Checks of single answers, shared by flags, presets, prompts and team templates so that each
 * rule is written once. Each returns what is wrong, or undefined. Pure.
 */

const AGENT_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/;

/** my-agent → my_agent; "2 Cool Agents!" → agent_2_cool_agents. The result still goes through validation. */
export function agentNameFrom(directory: string): string {
  const base = basename(resolve(directory));
  const name = base.replace(/[^a-zA-Z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  const named = /^[a-zA-Z]/.test(name) ? name : `agent_${name}`;
  return named.slice(0, 48).replace(/_+$/, "");
}

export function agentNameProblem(name: string): string | undefined {
  if (AGENT_NAME.test(name)) return undefined;
  return `${quoted(name)} is not a valid agent name: start with a letter, then letters, digits or _ (48 at most), e.g. my_agent`;
}

export function regionProblem(region: string): string | undefined {
  if (isValidRegion(region)) return undefined;
  return `${quoted(region)} is not an AWS region name such as us-west-2, eu-central-1 or ap-northeast-1`;
}

/**
 * A region this release does not know is most often a typo: refused with the nearest known one,
 * unless --skip-region-check says it is newer than the list.
 */
function unknownRegionProblem(region: string): string | undefined {
  if (KNOWN_REGIONS.includes(region)) return undefined;
  const suggestion = nearest(region, KNOWN_REGIONS);
  const guess = suggestion ? `: did you mean ${suggestion}?` : "";
  return `${quoted(region)} is not an AWS region this release knows${guess} (a region newer than its list of ${CATALOG_CHECKED} needs --skip-region-check)`;
}

/** Every check of a region: its shape, then (unless skipped) whether it is a known one. */
export function fullRegionProblem(region: string, skipRegionCheck: boolean): string | undefined {
  return regionProblem(region) ?? (skipRegionCheck ? undefined : unknownRegionProblem(region));
}

/** What is wrong with a target directory's name as typed (whether it exists is the writer's question). */
export function directoryProblem(directory: string): string | undefined {
  if (directory.trim() === "") return "the directory must not be empty";
  // Its name lands in the README and in shell commands; a line break there would end a code block.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(directory))
    return `the directory ${quoted(directory)} contains control characters; choose a plain name`;
  return undefined;
}

export function accountProblem(account: string): string | undefined {
  if (/^\d{12}$/.test(account)) return undefined;
  return `${quoted(account)} is not a 12-digit AWS account id`;
}

export function discoveryUrlProblem(url: string): string | undefined {
  const suffix = "/.well-known/openid-configuration";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${quoted(url)} is not a URL; expected https://…${suffix}`;
  }
  if (parsed.protocol !== "https:") return `must be an https URL, got ${parsed.protocol.slice(0, -1)}`;
  if (!parsed.pathname.endsWith(suffix) || parsed.search || parsed.hash) return `must end in ${suffix}`;
  if (/[\s"'`\\]/.test(url)) return `${quoted(url)} contains characters a URL cannot carry unencoded`;
  return undefined;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether `value` holds half of a UTF-16 pair alone, which is no Unicode character (a JSON "\ud800"). */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

/**
 * What is wrong with the length or encoding of a typed answer: more than `maxLength` characters
 * (code points), or a lone surrogate, which no UTF-8 file (pyproject.toml, the record) can hold.
 */
export function textLimitProblem(value: string, maxLength: number): string | undefined {
  if (hasLoneSurrogate(value)) return "must be Unicode text; it holds a lone surrogate";
  if (value.length <= maxLength) return undefined;
  // Counted only up to the limit: a 150 MB value costs no more than a long one.
  let characters = 0;
  for (const _ of value) if (++characters > maxLength) return `must be at most ${maxLength} characters`;
  return undefined;
}

/** "a, b,,c" → ["a", "b", "c"]: comma lists from flags and prompts. */
export function parseList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function listProblem(value: string): string | undefined {
  const bad = parseList(value).find((item) => !/^[\x21-\x7e]{1,256}$/.test(item) || /["'`\\]/.test(item));
  return bad === undefined
    ? undefined
    : `${quoted(bad)} is not a client id, audience or scope (printable ASCII, no quotes or spaces)`;
}

export interface Environment {
  AWS_REGION?: string;
  AWS_DEFAULT_REGION?: string;
}

export function defaultRegion(env: Environment): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1";
}

const AGENTCORE_PROJECT = /^[A-Za-z][A-Za-z0-9]{0,22}$/;

/**
 * The AgentCore CLI's project name from the directory: its letters and digits, starting with a
 * letter, at most 23 (my-agent → myagent). Empty when the name has none to give.
 */
export function agentcoreProjectFrom(directory: string): string {
  return basename(resolve(directory))
    .replace(/[^A-Za-z0-9]+/g, "")
    .replace(/^[0-9]+/, "")
    .slice(0, 23);
}

export function agentcoreProjectProblem(name: string): string | undefined {
  if (AGENTCORE_PROJECT.test(name)) return undefined;
  const derived = name === "" ? "the directory's name has no letters to make one from; " : "";
  return `${derived}${quoted(name)} is not an AgentCore CLI project name: a letter, then letters or digits, 23 at most (e.g. myagent)`;
}

/** AgentCore names the runtime `<project>_<agent>`, which must fit its 48-character limit. */
export function runtimeNameProblem(project: string, agent: string): string | undefined {
  const name = `${project}_${agent}`;
  if (name.length <= 48) return undefined;
  return `with --name ${agent} the runtime's AWS name ${name} has ${name.length} characters, over AgentCore's 48: shorten --project-name or --name`;
}
