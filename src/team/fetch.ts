import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { MAX_DOWNLOAD_BYTES } from "./limits.js";
import { TemplateError } from "./manifest.js";
import { LOOPBACK, type TemplateSource } from "./source.js";
import { ArchiveError, TemplateUnpacker } from "./tar.js";

/**
 * Downloads a remote template's tarball and unpacks it as it arrives (tar.ts), within one time
 * limit from the connection to the last byte. Redirects are followed by hand, so each hop is held
 * to the rule the given URL is (https, or http only from this machine; never from https down to
 * http), and the token in GIGET_AUTH (`Authorization: Bearer …`) goes only to the host the
 * reference names. Every failure is one line naming the cause.
 */

export interface FetchOptions {
  env: NodeJS.ProcessEnv;
  /** The whole fetch, connection to last byte, must finish within this. */
  timeoutMs: number;
  /** Said after a failure that a cached copy could stand in for (`; a copy … --offline`), or "". */
  cachedHint: string;
}

/** What a fetch learned besides the files. */
export interface FetchInfo {
  /** The commit the tarball was made from, when it says (git archive, GitHub, GitLab). */
  commit?: string;
}

const MAX_REDIRECTS = 5;
const FILE_SYSTEM_CALLS = new Set(["open", "write", "close", "mkdir", "symlink", "copyfile", "rename", "unlink"]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
const MiB = 1024 * 1024;

/** Fetches `source` and unpacks its template (manifest and files/) into the new folder `into`. */
export async function fetchTemplate(
  source: TemplateSource & { kind: "remote" },
  into: string,
  options: FetchOptions,
): Promise<FetchInfo> {
  const what = `--template ${source.given}`;
  const seconds = Math.round(options.timeoutMs / 100) / 10;
  const auth = options.env.GIGET_AUTH || undefined;
  const signal = AbortSignal.timeout(options.timeoutMs);
  const first = new URL(source.tarball);
  let url = first;
  try {
    let response: Response;
    for (let hops = 0; ; hops++) {
      const sameHost = url.origin === first.origin;
      response = await fetch(url, {
        headers: {
          ...(auth && sameHost && { authorization: `Bearer ${auth}` }),
          ...(source.provider === "github" &&
            sameHost && { accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" }),
        },
        redirect: "manual",
        signal,
      });
      if (!REDIRECT.has(response.status)) break;
      await response.body?.cancel();
      const location = response.headers.get("location");
      if (location === null) throw new TemplateError(`${what}: ${url.host} redirected without saying where`);
      if (hops === MAX_REDIRECTS) throw new TemplateError(`${what}: more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, url);
      const problem = redirectProblem(url, next);
      if (problem) throw new TemplateError(`${what}: ${url.host} redirected to ${next.origin}, ${problem}; refused`);
      url = next;
    }
    const host = url.host;
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
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new TemplateError(`${what}: ${host} answered HTTP ${response.status}${options.cachedHint}`);
    }
    if (Number(response.headers.get("content-length") ?? "0") > MAX_DOWNLOAD_BYTES) {
      await response.body.cancel();
      throw new TemplateError(`${what}: the download is larger than ${MAX_DOWNLOAD_BYTES / MiB} MB`);
    }
    const unpacker = new TemplateUnpacker(into, source.subdir);
    await unpack(bounded(response.body, what), unpacker);
    return unpacker.commit ? { commit: unpacker.commit } : {};
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    if (error instanceof ArchiveError) throw new TemplateError(`${what}: ${error.message}; refused`);
    if (signal.aborted)
      throw new TemplateError(`${what}: no complete answer from ${url.host} within ${seconds} s${options.cachedHint}`);
    const code = errorCode(error);
    if (/^Z_|^ERR_ZLIB|^ERR_INVALID_ARG/.test(code) || (error as Error).name === "ZlibError")
      throw new TemplateError(`${what}: not a .tar.gz (${(error as Error).message.split("\n")[0]}); refused`);
    // Writing the unpacked files failed (a full disk…): the cache's problem, which cache.ts names.
    if (FILE_SYSTEM_CALLS.has((error as NodeJS.ErrnoException).syscall ?? "")) throw error;
    const offline = /^(ENOTFOUND|EAI_AGAIN|ENETUNREACH|ENETDOWN|EHOSTUNREACH)$/.test(code);
    throw new TemplateError(
      `${what}: ${offline ? "no network" : "cannot reach"} ${url.host} (${code})${options.cachedHint}`,
    );
  }
}

/** Why following a redirect from `from` to `to` is refused, or undefined. */
function redirectProblem(from: URL, to: URL): string | undefined {
  if (from.protocol === "https:" && to.protocol !== "https:")
    return `from https to ${to.protocol.slice(0, -1)}, where the template would travel unprotected`;
  if (to.protocol === "http:" && !LOOPBACK.test(to.hostname)) return "plain http, accepted only from this machine";
  if (to.protocol !== "https:" && to.protocol !== "http:") return "not http or https";
  return undefined;
}

/** The body, refused once it passes MAX_DOWNLOAD_BYTES (a server may not say, or lie, in Content-Length). */
async function* bounded(body: AsyncIterable<Uint8Array>, what: string): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > MAX_DOWNLOAD_BYTES)
      throw new TemplateError(`${what}: the download is larger than ${MAX_DOWNLOAD_BYTES / MiB} MB`);
    yield chunk;
  }
}

/** Feeds the unpacker as the bytes arrive: through gunzip for a .tar.gz (its first two bytes say), else as they are. */
async function unpack(chunks: AsyncIterable<Uint8Array>, unpacker: TemplateUnpacker): Promise<void> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  while (headBytes < 2) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.byteLength;
  }
  const start = Buffer.concat(head);
  async function* all(): AsyncGenerator<Uint8Array> {
    yield start;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  const into = async (source: AsyncIterable<Uint8Array>) => {
    for await (const chunk of source) unpacker.write(chunk);
  };
  if (start[0] === 0x1f && start[1] === 0x8b) await pipeline(all(), createGunzip(), into);
  else await pipeline(all(), into);
  unpacker.end();
}

/** ECONNREFUSED, ENOTFOUND, Z_DATA_ERROR…: the code under fetch's "fetch failed", else the innermost message. */
function errorCode(error: unknown): string {
  let current = error as { code?: string; cause?: unknown; message?: string } | undefined;
  let message = "error";
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === "string") return current.code;
    if (typeof current.message === "string") message = current.message.split("\n")[0]!;
    current = current.cause as typeof current;
  }
  return message;
}
