import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A stand-in for the places team templates are published, on 127.0.0.1 only: plain tarball URLs
 * and GitHub's tarball API (point GIGET_GITHUB_URL at `origin`). A route may require
 * `Authorization: Bearer <token>`, as a private repository does. Nothing here reaches the internet.
 */

export interface Route {
  body: Buffer;
  /** The token a request must carry; without it, `denied` (401 like a tarball host, 404 like GitHub). */
  token?: string;
  denied?: 401 | 404;
  /** Answer with this redirect instead of the body. */
  redirect?: { status: 301 | 302 | 303 | 307 | 308; location: string };
  /** Send the first half of the body, then the rest once this settles (a slow download, held by a test). */
  gate?: Promise<void>;
  /** No Content-Length: the body's size is known only at its end. */
  chunked?: boolean;
}

export interface TemplateServer {
  origin: string;
  routes: Map<string, Route>;
  /** Paths that accept the connection and never answer. */
  hanging: Set<string>;
  /** Every request's method, path and Authorization header, in order. */
  requests: { method: string; path: string; authorization?: string }[];
  /** Settles when `count` requests for `path` have arrived (at once if they have): a barrier for tests. */
  arrived: (path: string, count?: number) => Promise<void>;
  close: () => Promise<void>;
}

/** A server on 127.0.0.1; with `tls` (a key and certificate), an https one. */
export async function startTemplateServer(tls?: { key: string; cert: string }): Promise<TemplateServer> {
  const routes = new Map<string, Route>();
  const hanging = new Set<string>();
  const requests: TemplateServer["requests"] = [];
  const sockets = new Set<Socket>();
  const waiters: { path: string; count: number; resolve: () => void }[] = [];
  const countOf = (path: string) => requests.filter((request) => request.path === path).length;
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    requests.push({
      method: request.method ?? "",
      path,
      ...(request.headers.authorization && { authorization: request.headers.authorization }),
    });
    for (const waiter of waiters.filter((candidate) => countOf(candidate.path) >= candidate.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    if (hanging.has(path)) return; // the socket is destroyed when the server closes
    const route = routes.get(path);
    if (!route) {
      response.writeHead(404, { "content-type": "application/json" }).end('{"message": "Not Found"}');
      return;
    }
    if (route.token !== undefined && request.headers.authorization !== `Bearer ${route.token}`) {
      const status = route.denied ?? 401;
      response
        .writeHead(status, { "content-type": "application/json" })
        .end(`{"message": "${status === 404 ? "Not Found" : "Bad credentials"}"}`);
      return;
    }
    if (route.redirect) {
      response.writeHead(route.redirect.status, { location: route.redirect.location }).end();
      return;
    }
    response.writeHead(200, {
      "content-type": "application/gzip",
      ...(!route.chunked && { "content-length": route.body.length }),
    });
    if (request.method === "HEAD") return void response.end();
    if (!route.gate) return void response.end(route.body);
    const half = Math.floor(route.body.length / 2);
    response.write(route.body.subarray(0, half));
    void route.gate.then(() => response.end(route.body.subarray(half)));
  };
  const server: Server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    routes,
    hanging,
    requests,
    arrived: (path, count = 1) =>
      countOf(path) >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ path, count, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A .tar.gz of `dir` under one top-level folder, as GitHub and GitLab serve repositories. */
export function tarballOf(dir: string, topLevel = "template-main"): Buffer {
  const scratch = mkdtempSync(join(tmpdir(), "tarball-"));
  try {
    cpSync(dir, join(scratch, topLevel), { recursive: true, verbatimSymlinks: true });
    execFileSync("tar", ["-czf", join(scratch, "out.tar.gz"), "-C", scratch, topLevel]);
    return readFileSync(join(scratch, "out.tar.gz"));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * A git repository holding `dir` at `subdir`, archived as GitHub's tarball API serves it
 * (`git archive` puts the commit in a pax header); returns the tarball and the commit.
 */
export function gitTarballOf(dir: string, subdir: string): { body: Buffer; commit: string } {
  const repo = mkdtempSync(join(tmpdir(), "repo-"));
  try {
    const git = (...args: string[]) =>
      execFileSync(
        "git",
        ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "init.defaultBranch=main", ...args],
        { cwd: repo, encoding: "utf8" },
      );
    git("init", "--quiet");
    mkdirSync(join(repo, subdir), { recursive: true });
    cpSync(dir, join(repo, subdir), { recursive: true });
    git("add", "-A");
    git("commit", "--quiet", "-m", "template");
    const commit = git("rev-parse", "HEAD").trim();
    const body = execFileSync(
      "git",
      ["archive", "--format=tar.gz", `--prefix=acme-templates-${commit.slice(0, 7)}/`, "HEAD"],
      { cwd: repo },
    );
    return { body, commit };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}
