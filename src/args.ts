import { parseArgs } from "node:util";

/** Bad input from the user: printed as one line, exit code 2, nothing written. */
export class UsageError extends Error {}

/** The flags as given; undefined means "not given", so prompts and defaults can fill it. */
export interface Flags {
  directory?: string;
  name?: string;
  description?: string;
  framework?: string;
  model?: string;
  region?: string;
  inferenceProfile?: string;
  skipModelCheck: boolean;
  auth?: string;
  discoveryUrl?: string;
  allowedClients?: string;
  allowedAudience?: string;
  allowedScopes?: string;
  streaming?: boolean;
  streamMode?: string;
  asyncTask?: boolean;
  account?: string;
  preset?: string;
  /** A built-in name, a template folder or a remote reference (src/team/). */
  template?: string;
  /** Answers to a team template's own questions (`--answer name=value`, repeatable). */
  answer?: Record<string, string>;
  offline: boolean;
  yes: boolean;
  force: boolean;
  git: boolean;
  /** undefined: the default, which is to install for built-in templates only. */
  install?: boolean;
  dryRun: boolean;
  help: boolean;
  version: boolean;
}

export const HELP = `Usage: create-agentcore [directory] [options]

Scaffolds an Amazon Bedrock AgentCore Runtime agent in Python: agent.py on the
bedrock-agentcore SDK, offline tests, a Dockerfile and .bedrock_agentcore.yaml.
Every question has a flag; with no terminal, give the directory and --framework
(or --yes to take the defaults).

Project
  [directory]                  where to create the project (default: my-agent)
  --name <agent_name>          AgentCore agent name (default: from the directory,
                               my-agent -> my_agent); letters, digits, _; max 48
  --description <text>         one-line description for pyproject and README

Agent
  --framework <name>           basic | strands | langgraph (default: strands)
  --streaming, --no-streaming  stream the answer as server-sent events (default: no)
  --stream-mode <mode>         langgraph streaming: messages | updates | values
                               (default: messages)
  --async-task, --no-async-task
                               background tasks with @app.async_task (default: no)

Model
  --model <id>                 Bedrock model ID, inference profile ID or ARN
                               (default: anthropic.claude-haiku-5-5)
  --region <region>            AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION,
                               else us-east-1)
  --inference-profile <kind>   geo | global: which cross-region inference profile to
                               prefer when the model needs one (default: geo)
  --skip-model-check           use --model exactly as given, without the model catalog
                               (for models newer than this release knows)

Inbound auth
  --auth <mode>                iam (SigV4) | jwt (default: iam)
  --discovery-url <url>        jwt: https://…/.well-known/openid-configuration
  --allowed-clients <a,b>      jwt: allowed client ids (this and/or --allowed-audience)
  --allowed-audience <a,b>     jwt: allowed audiences
  --allowed-scopes <a,b>       jwt: required scopes (optional)

Deploy
  --account <12 digits>        AWS account id for .bedrock_agentcore.yaml, so
                               \`agentcore deploy\` works without \`agentcore configure\`

Team templates
  --template <source>          start from a team template: a folder,
                               gh:org/repo/path#ref, gitlab:…, bitbucket:…, sourcehut:…
                               or an https://….tar.gz (a private one takes its token
                               from $GIGET_AUTH); or basic | strands | langgraph
  --answer <name=value>        answer one of the template's own questions (repeatable)
  --offline                    use no network: remote templates from the cache only
                               ($CREATE_AGENTCORE_CACHE_DIR, else
                               ~/.cache/create-agentcore), and skip uv sync

Run
  --preset <file>              answers from a JSON or YAML file keyed like the flags
                               ({"framework": "langgraph", "stream-mode": "updates"});
                               flags given win. A project's .create-agentcore.json is one.
  -y, --yes                    take the defaults for every question not answered
  --force                      overwrite the project's files in a non-empty directory
                               (other files are never touched or deleted)
  --no-git                     do not run git init
  --install, --no-install      install dependencies with uv sync (default: yes; with a
                               team template only when asked, as it runs the template's
                               build and dependencies)
  --dry-run                    print the files that would be written; write nothing
  -h, --help                   show this help
  -v, --version                show the version
`;

export const BOOLEAN_FLAGS = [
  "skip-model-check", "streaming", "no-streaming", "async-task", "no-async-task",
  "yes", "force", "no-git", "install", "no-install", "offline", "dry-run", "help", "version",
] as const;
export const STRING_FLAGS = [
  "name", "description", "framework", "model", "region", "inference-profile", "auth",
  "discovery-url", "allowed-clients", "allowed-audience", "allowed-scopes", "stream-mode", "account", "preset",
  "template", "answer",
] as const;

/** `--answer name=value` → ["name", "value"]. */
function answerPairs(values: string[] | undefined): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  const answers: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf("=");
    const name = at > 0 ? value.slice(0, at) : "";
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(name)) {
      throw new UsageError(`--answer ${JSON.stringify(value)}: expected name=value, the name as the template's question has it (e.g. cost_center=CC-1234)`);
    }
    if (Object.hasOwn(answers, name)) throw new UsageError(`--answer ${name} is given twice`);
    answers[name] = value.slice(at + 1);
  }
  return answers;
}

/** `--x` and `--no-x` together is a contradiction, not a last-one-wins. */
function pair(values: Record<string, unknown>, flag: string): boolean | undefined {
  const on = values[flag] === true;
  const off = values[`no-${flag}`] === true;
  if (on && off) throw new UsageError(`--${flag} and --no-${flag} contradict each other; give one`);
  return on ? true : off ? false : undefined;
}

export function parseFlags(argv: string[]): Flags {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const flag of BOOLEAN_FLAGS) options[flag] = { type: "boolean" };
  for (const flag of STRING_FLAGS) options[flag] = { type: "string" };
  options.answer!.multiple = true;
  options.yes!.short = "y";
  options.help!.short = "h";
  options.version!.short = "v";

  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's messages are long and mention internals; keep the part that names the flag.
    const message = (error as Error).message.split(". ")[0]!.replace(/^Unknown option/, "unknown option");
    throw new UsageError(`${message} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UsageError(`expected one directory, got ${positionals.length}: ${positionals.join(" ")}`);
  }
  const text = (flag: Exclude<(typeof STRING_FLAGS)[number], "answer">) => values[flag] as string | undefined;
  return {
    directory: positionals[0],
    name: text("name"),
    description: text("description"),
    framework: text("framework"),
    model: text("model"),
    region: text("region"),
    inferenceProfile: text("inference-profile"),
    skipModelCheck: values["skip-model-check"] === true,
    auth: text("auth"),
    discoveryUrl: text("discovery-url"),
    allowedClients: text("allowed-clients"),
    allowedAudience: text("allowed-audience"),
    allowedScopes: text("allowed-scopes"),
    streaming: pair(values, "streaming"),
    streamMode: text("stream-mode"),
    asyncTask: pair(values, "async-task"),
    account: text("account"),
    preset: text("preset"),
    template: text("template"),
    answer: answerPairs(values.answer as string[] | undefined),
    offline: values.offline === true,
    yes: values.yes === true,
    force: values.force === true,
    git: values["no-git"] !== true,
    install: pair(values, "install"),
    dryRun: values["dry-run"] === true,
    help: values.help === true,
    version: values.version === true,
  };
}
