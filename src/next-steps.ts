import { relative, resolve } from "node:path";
import { shellWord } from "./escape.js";
import type { Style } from "./io.js";
import type { Options } from "./options.js";

/**
 * The `agentcore configure` line that rebuilds this project's deploy config. The starter toolkit's
 * configure rewrites the whole agent entry from its flags, so everything we set must be passed.
 */
export function configureCommand(options: Options): string {
  const words = [
    "agentcore configure",
    "--entrypoint agent.py",
    `--name ${options.name}`,
    `--region ${options.region}`,
    "--deployment-type container",
    "--protocol HTTP",
    "--disable-memory",
  ];
  if (options.auth === "jwt") {
    const authorizer = {
      customJWTAuthorizer: {
        discoveryUrl: options.discoveryUrl,
        ...(options.allowedClients.length > 0 && { allowedClients: options.allowedClients }),
        ...(options.allowedAudience.length > 0 && { allowedAudience: options.allowedAudience }),
        ...(options.allowedScopes.length > 0 && { allowedScopes: options.allowedScopes }),
      },
    };
    words.push(`--authorizer-config ${shellWord(JSON.stringify(authorizer))}`);
    words.push("--request-header-allowlist Authorization");
  }
  words.push("--non-interactive");
  return words.join(" ");
}

/** What already happened after the files were written, so the next steps skip it. */
export interface Done {
  /** uv sync ran to the end: dependencies are installed and uv.lock is written. */
  installed: boolean;
}

/**
 * What to run next, from the folder the CLI was started in: only what is still to do (no `cd .`,
 * no `uv sync` after it ran). Without uv sync there is no uv.lock yet, and the Dockerfile
 * installs exactly uv.lock, so uv sync comes first.
 */
export function nextSteps(options: Options, done: Done, cwd: string, style: Style): string[] {
  const step = (command: string, comment?: string) =>
    `  ${style.cyan(command)}${comment ? `${" ".repeat(Math.max(1, 27 - command.length))}${style.dim(`# ${comment}`)}` : ""}`;
  // The shorter of the relative and the absolute path: `cd my-agent`, not `cd ../../../tmp/x`.
  const relativePath = relative(cwd, options.directory);
  const absolutePath = resolve(cwd, options.directory);
  const where = relativePath.length <= absolutePath.length ? relativePath : absolutePath;
  const lines = ["", style.bold("next steps:")];
  if (where !== "") lines.push(step(`cd ${shellWord(where)}`));
  if (!done.installed)
    lines.push(step("uv sync", "first: writes uv.lock, which the image installs exactly (no uv yet? pip install uv)"));
  lines.push(step("uv run pytest", "offline tests, no AWS needed"));
  lines.push(step("uv run python agent.py", "serve on http://127.0.0.1:8080"));
  if (!options.account) lines.push(step(configureCommand(options)));
  lines.push(step("agentcore deploy", "builds linux/arm64 in CodeBuild, then deploys"));
  lines.push("see README.md for invoking, auth and the model ID");
  return lines;
}
