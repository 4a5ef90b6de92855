import { relative, resolve } from "node:path";
import { shellWord } from "./escape.js";
import type { Style } from "./io.js";
import { apiKeySettings, isDirect } from "./models/direct-catalog.js";
import { agentDir, type Options } from "./options.js";

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
  /** npm install ran in the deploy target's Node project (the AgentCore CLI's CDK app). */
  nodeInstalled?: boolean;
}

/** A command to run, and what it is for. */
type Step = [command: string, comment?: string];

/** Where the provider's API key goes before a local run (nothing for Bedrock: AWS credentials). */
function keyStep(options: Options): Step[] {
  if (!isDirect(options.provider)) return [];
  const key = apiKeySettings(options.provider, options.deploy);
  // A comment, not a command: the key is typed into the file, never into the shell's history.
  return [[`# ${key.variable}=<your key> in ${key.envFile}`, `${key.providerName}; git ignores the file`]];
}

/** The steps after `cd` that depend on the deploy target, from the project's root folder. */
const TARGET_STEPS: Record<Options["deploy"], (options: Options, done: Done) => Step[]> = {
  "starter-toolkit": (options, done) => [
    ...(done.installed
      ? []
      : [["uv sync", "first: writes uv.lock, which the image installs exactly (no uv yet? pip install uv)"] as Step]),
    ["uv run pytest", "offline tests, no AWS needed"],
    ...keyStep(options),
    [`uv run ${isDirect(options.provider) ? "--env-file .env " : ""}python agent.py`, "serve on http://127.0.0.1:8080"],
    ...(options.account ? [] : [[configureCommand(options)] as Step]),
    ["agentcore deploy", "builds linux/arm64 in CodeBuild, then deploys"],
  ],
  // The agent is a uv project of its own in app/<name>; the AgentCore CLI runs from the root.
  "agentcore-cli": (options, done) => {
    const agent = shellWord(agentDir(options));
    const lock = options.build === "Container" ? "the image installs exactly" : "commit it";
    return [
      ...(done.installed
        ? []
        : [[`uv sync --directory ${agent}`, `first: writes uv.lock, ${lock} (no uv yet? pip install uv)`] as Step]),
      [`uv run --directory ${agent} pytest`, "offline tests, no AWS needed"],
      ...keyStep(options),
      ["agentcore dev --logs", "serve on http://127.0.0.1:8080 (npm install -g @aws/agentcore)"],
      ...(done.nodeInstalled
        ? []
        : [["npm install --prefix agentcore/cdk", "the CDK app agentcore deploy builds (Node 20 or later)"] as Step]),
      ...(options.account
        ? []
        : [
            [
              `export AWS_REGION=${options.region}`,
              isDirect(options.provider) ? "the region to deploy to" : "the model ID was chosen for it",
            ] as Step,
          ]),
      [
        "agentcore deploy",
        options.build === "Container"
          ? "builds linux/arm64 in CodeBuild, then deploys"
          : "packages for linux/arm64 with uv, then deploys",
      ],
    ];
  },
};

/**
 * What to run next, from the folder the CLI was started in: only what is still to do (no `cd .`,
 * no `uv sync` after it ran). Without uv sync there is no uv.lock yet, and the Dockerfile
 * installs exactly uv.lock, so uv sync comes first.
 */
export function nextSteps(options: Options, done: Done, cwd: string, style: Style): string[] {
  // The shorter of the relative and the absolute path: `cd my-agent`, not `cd ../../../tmp/x`.
  const relativePath = relative(cwd, options.directory);
  const absolutePath = resolve(cwd, options.directory);
  const where = relativePath.length <= absolutePath.length ? relativePath : absolutePath;
  const steps: Step[] = [
    ...(where === "" ? [] : [[`cd ${shellWord(where)}`] as Step]),
    ...TARGET_STEPS[options.deploy](options, done),
  ];
  // Comments in one column, after the longest command that has one.
  const column = Math.max(...steps.map(([command, comment]) => (comment ? command.length : 0))) + 2;
  const lines = ["", style.bold("next steps:")];
  for (const [command, comment] of steps)
    lines.push(
      `  ${style.cyan(command)}${comment ? `${" ".repeat(column - command.length)}${style.dim(`# ${comment}`)}` : ""}`,
    );
  lines.push("see README.md for invoking, auth and the model ID");
  return lines;
}
