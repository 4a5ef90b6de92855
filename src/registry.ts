import {
  accountProblem,
  agentcoreProjectFrom,
  agentcoreProjectProblem,
  agentNameFrom,
  agentNameProblem,
  defaultRegion,
  discoveryUrlProblem,
  type Environment,
  listProblem,
  regionProblem,
  runtimeNameProblem,
  textLimitProblem,
} from "./checks.js";
import { DEFAULT_MODEL_ID } from "./models/catalog.js";
import { DIRECT_CATALOGS, DIRECT_PROVIDERS, isDirect } from "./models/direct-catalog.js";

/**
 * The one table of everything a user can answer. Each question is written once here, and the
 * rest is derived from it: the flag parser and --help (args.ts), the prompts (prompts.ts), preset
 * and record keys (preset.ts), team-template defaults and locks and the manifest schema's
 * `answers` (team/, scripts/generate.mjs), the reproduce command (reproduce.ts), checks for flags
 * that do not apply (validate.ts), the template layers a project is made of (layersFor), and the
 * combinations the tests generate (combinations.ts).
 *
 * A new framework, provider, protocol or language is one choice row here and one folder of
 * templates/ (named in its `layers`). A question offering a single choice is a fixed value: it
 * has no flag, prompt, help line or record key until a second row is added.
 */

/** The sections of --help, in order. */
export const SECTIONS = ["Project", "Agent", "Model", "Inbound auth", "Deploy", "Team templates", "Run"] as const;
export type Section = (typeof SECTIONS)[number];

/** One answer a choice question accepts. */
export interface Choice {
  readonly value: string;
  /** How prompts and the generated README name it. */
  readonly label: string;
  /** The prompt's grey hint. */
  readonly hint?: string;
  /** The README's longer name, where the label is too short to stand alone. */
  readonly title?: string;
  /** Folders of templates/ this choice adds to a project, in order. */
  readonly layers?: readonly string[];
  /**
   * The values of other questions this choice works with (a question not named: all of its
   * values). A combination outside them is refused, naming what works; prompts offer only these.
   */
  readonly supports?: Readonly<Record<string, readonly string[]>>;
  /** A deploy target's folder for the agent's own files, `{name}` the agent's name; the root when absent. */
  readonly agentDir?: string;
  /** A deploy target's Node project (a folder with package.json) that its deploy needs installed. */
  readonly nodeProject?: string;
}

/** Answers seen by the rules below: keyed like the flags, as given (before defaults). */
export type Given = Readonly<Record<string, string | boolean | undefined>>;

interface QuestionBase {
  /** The flag (`--stream-mode`), the preset and record key (`"stream-mode"`), the team-template key. */
  readonly key: string;
  readonly section: Section;
  /** --help text; `{choices}` becomes the choices (`a | b | c`). */
  readonly help: string;
  /** The placeholder after the flag in --help (`<mode>`). */
  readonly placeholder?: string;
  /** What --help says the default is, when it is not the `default` value itself. */
  readonly helpDefault?: string;
  /** A team template may suggest (defaults) or fix (locked) this answer. */
  readonly team: boolean;
  /**
   * Written to the project's record: "always" (when it applies), or "if-set" (only when true or
   * given). Unset: not recorded (the directory's own name is recorded by preset.ts).
   */
  readonly record?: "always" | "if-set";
  /** The reproduce command names it only when the user gave it (else: whenever it is recorded). */
  readonly reproduceIfGiven?: boolean;
  /**
   * Whether the question applies to these answers: undefined when it does, else why not (when
   * one is given anyway, the error says "--flag applies " and this, e.g. "only with --auth jwt").
   */
  readonly when?: (given: Given) => string | undefined;
  /** Questions whose answers this one's prompt needs first (the model list needs the region). */
  readonly dependsOn?: readonly string[];
  /** How it is asked at a terminal; "custom": prompts.ts has its own asker for this key. */
  readonly prompt?: TextPrompt | ChoicePrompt | "custom";
  /** A dimension of the test matrix: every value is generated and tested (combinations.ts). */
  readonly dimension?: boolean;
  /**
   * The answer a preset (or a project's record) means when it does not have this key: what
   * earlier versions did before the question existed. Flags and prompts take `default`.
   */
  readonly presetDefault?: string;
}

interface TextPrompt {
  readonly message: string;
  readonly placeholder?: string;
  /** Enter leaves it unanswered (the prompt says so). */
  readonly optional?: boolean;
}

interface ChoicePrompt {
  readonly message: string;
}

export interface ChoiceQuestion extends QuestionBase {
  readonly kind: "choice";
  readonly choices: readonly Choice[];
  readonly default: string;
  /** Combination names leave the default out, so names from before the question existed stay. */
  readonly unnamedDefault?: boolean;
}

export interface BooleanQuestion extends QuestionBase {
  readonly kind: "boolean";
  /** Also `--no-<key>`, so a preset's `true` can be overridden. */
  readonly negatable: boolean;
  readonly default: boolean;
  /** Folders of templates/ the answer `true` adds. */
  readonly layers?: readonly string[];
  /** How a combination's name shows it (`["stream", "sync"]`). */
  readonly names?: readonly [on: string, off: string];
}

export interface TextQuestion extends QuestionBase {
  /** "list": comma-separated (a preset may give an array). */
  readonly kind: "text" | "list";
  /**
   * The longest answer, in characters, from a flag, a preset, a prompt or a template alike (a list:
   * the comma-separated whole); the manifest schema's maxLength is made from it.
   */
  readonly maxLength: number;
  /** What is wrong with a value, or undefined; shared by flags, prompts and templates. */
  readonly check?: (value: string) => string | undefined;
  readonly default?: string;
  /** The default when it is not a constant: worked out from the other answers or the environment. */
  readonly derive?: (given: Given, env: Environment) => string;
  /** What is wrong with the value given the other answers (a combined limit), or undefined. */
  readonly checkWith?: (value: string, given: Given) => string | undefined;
  /** The manifest schema's other constraints for a template's default or lock. */
  readonly schema?: Readonly<Record<string, unknown>>;
  /** Typed by a person as free text: templates must write it through an escaper. */
  readonly freeText?: boolean;
  /** A valid value the test matrix uses when the question applies (combinations.ts). */
  readonly example?: string;
}

export type Question = ChoiceQuestion | BooleanQuestion | TextQuestion;

const JWT_ONLY = (given: Given) => (given.auth === "jwt" ? undefined : "only with --auth jwt");

export const QUESTIONS = [
  {
    key: "directory",
    kind: "text",
    section: "Project",
    help: "where to create the project",
    placeholder: "[directory]",
    default: "my-agent",
    maxLength: 1024,
    team: false,
    record: "always",
    freeText: true,
    prompt: { message: "Project directory" },
  },
  {
    key: "name",
    kind: "text",
    section: "Project",
    help: "AgentCore agent name (default: from the directory, my-agent -> my_agent); letters, digits, _; max 48",
    placeholder: "<agent_name>",
    // For the AgentCore CLI, short enough that <project>_<agent> fits AgentCore's 48 characters.
    derive: (given) => {
      const name = agentNameFrom(String(given.directory));
      if ((given.deploy ?? questionDefault("deploy")) !== "agentcore-cli") return name;
      const project = given["project-name"] ?? agentcoreProjectFrom(String(given.directory));
      return name.slice(0, 47 - String(project).length).replace(/_+$/, "");
    },
    check: agentNameProblem,
    maxLength: 48,
    team: false,
    record: "always",
    reproduceIfGiven: true,
    prompt: "custom",
  },
  {
    key: "description",
    kind: "text",
    section: "Project",
    help: "one-line description for pyproject and README",
    placeholder: "<text>",
    default: "An Amazon Bedrock AgentCore Runtime agent",
    helpDefault: "",
    maxLength: 300,
    team: true,
    record: "always",
    reproduceIfGiven: true,
    freeText: true,
    schema: { type: "string" },
  },
  {
    key: "language",
    kind: "choice",
    section: "Agent",
    help: "the agent's language: {choices}",
    placeholder: "<language>",
    default: "python",
    team: true,
    record: "always",
    dimension: true,
    choices: [{ value: "python", label: "Python", layers: ["python"] }],
  },
  {
    key: "framework",
    kind: "choice",
    section: "Agent",
    help: "{choices}",
    placeholder: "<name>",
    default: "strands",
    team: true,
    record: "always",
    dimension: true,
    prompt: { message: "Agent framework" },
    choices: [
      { value: "strands", label: "Strands Agents", hint: "model-driven agent loop with tools", layers: ["strands"] },
      {
        value: "langgraph",
        label: "LangGraph",
        hint: "graph agent on LangChain's model classes",
        layers: ["langgraph"],
        supports: { "stream-mode": ["messages", "updates", "values"] },
      },
      {
        value: "pydantic-ai",
        label: "PydanticAI",
        hint: "typed agents; a conversation is its message history",
        layers: ["pydantic-ai"],
      },
      {
        value: "crewai",
        label: "CrewAI",
        hint: "a standalone CrewAI agent; a conversation is its message list",
        layers: ["crewai"],
        // Its dependencies (pyarrow, lancedb, onnxruntime, chromadb) make a code zip of about 268 MB,
        // over the 250 MB AgentCore takes (the AgentCore CLI's synthesis refuses it).
        supports: { build: ["Container"] },
      },
      {
        value: "agent-framework",
        label: "Microsoft Agent Framework",
        hint: "AutoGen's successor; a conversation is an agent session",
        layers: ["agent-framework"],
      },
      {
        value: "openai-agents",
        label: "OpenAI Agents SDK",
        hint: "OpenAI's API; Bedrock is not native to it",
        layers: ["openai-agents"],
        supports: { provider: ["openai"] },
      },
      {
        value: "google-adk",
        label: "Google ADK",
        hint: "Google's Agent Development Kit; Gemini's API by default (Bedrock is not native to it)",
        layers: ["google-adk"],
        supports: { provider: ["gemini", "anthropic", "openai"] },
      },
      {
        value: "basic",
        label: "Plain Python",
        hint: "bring your own framework or model client",
        title: "plain Python (no framework: the model API's own SDK)",
        layers: ["basic"],
      },
    ],
  },
  {
    key: "protocol",
    kind: "choice",
    section: "Agent",
    help: "how callers talk to the agent: {choices}",
    placeholder: "<protocol>",
    default: "http",
    team: true,
    record: "always",
    dimension: true,
    choices: [{ value: "http", label: "HTTP", hint: "POST /invocations and GET /ping on port 8080" }],
  },
  {
    key: "provider",
    reproduceIfGiven: true,
    kind: "choice",
    section: "Model",
    help: "who serves the model: {choices}",
    placeholder: "<provider>",
    default: "bedrock",
    team: true,
    record: "always",
    dimension: true,
    unnamedDefault: true,
    prompt: { message: "Model provider" },
    choices: [
      // Bedrock's model code is the default of the base and framework layers; a provider's layers replace it.
      { value: "bedrock", label: "Amazon Bedrock", hint: "IAM credentials, no API key", layers: ["bedrock"] },
      ...DIRECT_PROVIDERS.map((value) => ({
        value,
        label: `${DIRECT_CATALOGS[value].name} API`,
        hint: `an API key: ${DIRECT_CATALOGS[value].keyVariable} locally, AgentCore Identity when deployed`,
        layers: ["api-key", value],
      })),
    ],
  },
  {
    key: "model",
    kind: "text",
    section: "Model",
    help: "the model: a Bedrock model ID, inference profile ID or ARN; or the provider's model ID",
    placeholder: "<id>",
    derive: (given) => {
      const provider = choiceOrDefault("provider", given);
      return isDirect(provider) ? DIRECT_CATALOGS[provider].defaultModel : DEFAULT_MODEL_ID;
    },
    helpDefault: `${DEFAULT_MODEL_ID} on Bedrock; else the provider's default (--list-models)`,
    maxLength: 2048,
    team: true,
    record: "always",
    dependsOn: ["region"],
    prompt: "custom",
    schema: { type: "string", minLength: 1 },
  },
  {
    key: "region",
    kind: "text",
    section: "Model",
    help: "AWS region",
    placeholder: "<region>",
    derive: (_, env) => defaultRegion(env),
    helpDefault: "$AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1",
    maxLength: 64,
    team: true,
    record: "always",
    check: regionProblem,
    prompt: "custom",
    schema: { type: "string", minLength: 1 },
  },
  {
    key: "inference-profile",
    kind: "choice",
    section: "Model",
    when: (given) => (isDirect(given.provider) ? "only with --provider bedrock" : undefined),
    help: "{choices}: which cross-region inference profile to prefer when the model needs one",
    placeholder: "<kind>",
    default: "geo",
    team: true,
    record: "always",
    reproduceIfGiven: true,
    choices: [
      { value: "geo", label: "geography", hint: "requests stay in the region's geography" },
      { value: "global", label: "global", hint: "any commercial region" },
    ],
  },
  {
    key: "skip-model-check",
    kind: "boolean",
    section: "Model",
    help: "use --model exactly as given, without the model catalog (for models newer than this release knows)",
    helpDefault: "",
    negatable: false,
    default: false,
    team: true,
    record: "if-set",
  },
  {
    // An answer rather than a run flag: the record keeps it, so a project for a region newer than
    // this release's list regenerates from its record.
    key: "skip-region-check",
    kind: "boolean",
    section: "Model",
    help: "accept a --region this release does not know (one newer than its list of regions)",
    helpDefault: "",
    negatable: false,
    default: false,
    team: true,
    record: "if-set",
  },
  {
    key: "auth",
    kind: "choice",
    section: "Inbound auth",
    help: "{choices}",
    placeholder: "<mode>",
    default: "iam",
    team: true,
    record: "always",
    dimension: true,
    prompt: { message: "Inbound auth" },
    choices: [
      { value: "iam", label: "IAM (SigV4)", hint: "callers sign with AWS credentials" },
      {
        value: "jwt",
        label: "JWT",
        hint: "OAuth tokens from Cognito or another identity provider",
        layers: ["jwt-auth"],
      },
    ],
  },
  {
    key: "discovery-url",
    kind: "text",
    section: "Inbound auth",
    help: "jwt: https://…/.well-known/openid-configuration",
    placeholder: "<url>",
    maxLength: 2048,
    team: true,
    record: "always",
    when: JWT_ONLY,
    check: discoveryUrlProblem,
    example: "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_Example/.well-known/openid-configuration",
    prompt: {
      message: "OIDC discovery URL",
      placeholder: "https://cognito-idp.<region>.amazonaws.com/<pool-id>/.well-known/openid-configuration",
    },
    schema: { type: "string", minLength: 1 },
  },
  {
    key: "allowed-clients",
    kind: "list",
    section: "Inbound auth",
    help: "jwt: allowed client ids (this and/or --allowed-audience)",
    placeholder: "<a,b>",
    maxLength: 4096,
    team: true,
    record: "always",
    when: JWT_ONLY,
    check: listProblem,
    example: "client-one,client-two",
    prompt: "custom",
  },
  {
    key: "allowed-audience",
    kind: "list",
    section: "Inbound auth",
    help: "jwt: allowed audiences",
    placeholder: "<a,b>",
    maxLength: 4096,
    team: true,
    record: "always",
    when: JWT_ONLY,
    check: listProblem,
    example: "api://agents",
    prompt: "custom",
  },
  {
    key: "allowed-scopes",
    kind: "list",
    section: "Inbound auth",
    help: "jwt: required scopes (optional)",
    placeholder: "<a,b>",
    maxLength: 4096,
    team: true,
    record: "always",
    when: JWT_ONLY,
    check: listProblem,
    prompt: { message: "Required scopes", optional: true },
  },
  {
    key: "streaming",
    kind: "boolean",
    section: "Agent",
    help: "stream the answer as server-sent events",
    negatable: true,
    default: false,
    team: true,
    record: "always",
    dimension: true,
    layers: ["streaming"],
    names: ["stream", "sync"],
    prompt: { message: "Stream the answer (server-sent events)?" },
  },
  {
    key: "stream-mode",
    kind: "choice",
    section: "Agent",
    help: "{choices}: what a LangGraph stream carries",
    placeholder: "<mode>",
    default: "messages",
    team: true,
    record: "always",
    dimension: true,
    when: (given) => {
      const offering = frameworksSupporting("stream-mode");
      const framework = given.framework ?? questionDefault("framework");
      if (offering.includes(String(framework)) && given.streaming === true) return undefined;
      return `only with --framework ${offering.join(" or ")} and --streaming`;
    },
    prompt: { message: "LangGraph stream mode" },
    choices: [
      { value: "messages", label: "messages", hint: "token text as it is generated" },
      { value: "updates", label: "updates", hint: "one event per graph step" },
      { value: "values", label: "values", hint: "the whole state after each step" },
    ],
  },
  {
    key: "async-task",
    kind: "boolean",
    section: "Agent",
    help: "background tasks with @app.async_task",
    negatable: true,
    default: false,
    team: true,
    record: "always",
    dimension: true,
    layers: ["async-task"],
    names: ["async", "noasync"],
    prompt: { message: "Add background tasks (@app.async_task)?" },
  },
  {
    key: "deploy",
    kind: "choice",
    section: "Deploy",
    help: "the CLI that deploys the agent: {choices}",
    placeholder: "<target>",
    default: "agentcore-cli",
    // What 0.1.0 wrote, so its records and the presets of that time replay to the same tree.
    presetDefault: "starter-toolkit",
    team: true,
    record: "always",
    dimension: true,
    prompt: { message: "Deploy with" },
    choices: [
      {
        value: "agentcore-cli",
        label: "AgentCore CLI",
        hint: "@aws/agentcore: agentcore dev / deploy, CDK; the CLI AWS supports",
        title: "the AgentCore CLI (`@aws/agentcore`)",
        layers: ["agentcore-cli"],
        agentDir: "app/{name}",
        // `agentcore deploy` builds the CDK app with its own tsc, and installs nothing itself.
        nodeProject: "agentcore/cdk",
      },
      {
        value: "starter-toolkit",
        label: "Starter toolkit",
        hint: ".bedrock_agentcore.yaml, agentcore configure / deploy; no longer supported by AWS",
        title: "the starter toolkit (`bedrock-agentcore-starter-toolkit`)",
        layers: ["starter-toolkit"],
      },
    ],
  },
  {
    key: "build",
    kind: "choice",
    section: "Deploy",
    help: "AgentCore CLI: how the agent is packaged: {choices}",
    placeholder: "<type>",
    default: "CodeZip",
    team: true,
    record: "always",
    dimension: true,
    when: (given) => (given.deploy === "starter-toolkit" ? "only with --deploy agentcore-cli" : undefined),
    prompt: { message: "Package the agent as" },
    choices: [
      {
        value: "CodeZip",
        label: "Code zip",
        hint: "arm64 wheels packaged by the CLI with uv; agentcore dev needs no container engine",
      },
      { value: "Container", label: "Container image", hint: "the Dockerfile, built in CodeBuild" },
    ],
  },
  {
    key: "project-name",
    kind: "text",
    section: "Deploy",
    help: "AgentCore CLI project name (default: the directory's letters and digits, my-agent -> myagent); letters and digits, max 23",
    placeholder: "<name>",
    // Short enough that <project>_<agent> fits AgentCore's 48 characters with a given --name.
    derive: (given) => {
      const project = agentcoreProjectFrom(String(given.directory));
      // At least one character, so a --name too long for any project is reported as too long.
      return typeof given.name === "string" ? project.slice(0, Math.max(1, 47 - given.name.length)) : project;
    },
    maxLength: 23,
    team: false,
    record: "always",
    reproduceIfGiven: true,
    when: (given) => (given.deploy === "starter-toolkit" ? "only with --deploy agentcore-cli" : undefined),
    check: agentcoreProjectProblem,
    checkWith: (value, given) => (typeof given.name === "string" ? runtimeNameProblem(value, given.name) : undefined),
    prompt: "custom",
  },
  {
    key: "account",
    kind: "text",
    section: "Deploy",
    help: "AWS account id for .bedrock_agentcore.yaml, so `agentcore deploy` works without `agentcore configure`",
    placeholder: "<12 digits>",
    maxLength: 12,
    team: true,
    record: "if-set",
    check: accountProblem,
    prompt: { message: "AWS account id for the deploy config", placeholder: "123456789012", optional: true },
    schema: { type: "string", pattern: "^[0-9]{12}$" },
  },
] as const satisfies readonly Question[];

/** Flags that steer a run rather than answer a question: never recorded, never set by a template. */
export interface RunFlag {
  readonly key: string;
  readonly kind: "boolean" | "text" | "answers";
  readonly section: Section;
  readonly help: string;
  readonly placeholder?: string;
  readonly short?: string;
  /** Booleans: "pair" is --x and --no-x; "negative" is only --no-x (the key then defaults to true). */
  readonly form?: "pair" | "negative";
  /** Accepted in a preset file (and so in a record). */
  readonly preset?: boolean;
}

export const RUN_FLAGS = [
  {
    key: "template",
    kind: "text",
    section: "Team templates",
    help: "start from a team template: a folder, gh:org/repo/path#ref, gitlab:…, bitbucket:…, sourcehut:… or an https://….tar.gz (a private one takes its token from $GIGET_AUTH); or {framework}",
    placeholder: "<source>",
    preset: true,
  },
  {
    key: "answer",
    kind: "answers",
    section: "Team templates",
    help: "answer one of the template's own questions (repeatable)",
    placeholder: "<name=value>",
    preset: true,
  },
  {
    key: "offline",
    kind: "boolean",
    section: "Team templates",
    help: "use no network: remote templates from the cache only ($CREATE_AGENTCORE_CACHE_DIR, else ~/.cache/create-agentcore), and skip uv sync",
  },
  {
    key: "update-template",
    kind: "boolean",
    section: "Team templates",
    help: "with --preset of a project's .create-agentcore.json: make it from the team template as it is now, though its files have changed since the project was made (without this, that is refused)",
  },
  {
    key: "preset",
    kind: "text",
    section: "Run",
    help: 'answers from a JSON or YAML file keyed like the flags ({"framework": "langgraph", "stream-mode": "updates"}); flags given win. A project\'s .create-agentcore.json is one.',
    placeholder: "<file>",
  },
  {
    key: "list-models",
    kind: "boolean",
    section: "Model",
    help: "list the catalog's models: lifecycle, end of life, and the ID each would use from --region, or why it cannot be called there; write nothing",
  },
  { key: "json", kind: "boolean", section: "Model", help: "with --list-models: print JSON" },
  {
    key: "yes",
    kind: "boolean",
    section: "Run",
    help: "take the defaults for every question not answered",
    short: "y",
  },
  {
    key: "force",
    kind: "boolean",
    section: "Run",
    help: "overwrite the project's files in a non-empty directory (other files are never touched or deleted)",
  },
  {
    key: "keep-existing",
    kind: "boolean",
    section: "Run",
    help: "in a non-empty directory, add only the project's files that are missing; never overwrite anything",
  },
  { key: "git", kind: "boolean", section: "Run", help: "do not run git init", form: "negative" },
  {
    key: "install",
    kind: "boolean",
    section: "Run",
    help: "install dependencies with uv sync (default: yes; with a team template only when asked, as it runs the template's build and dependencies)",
    form: "pair",
  },
  { key: "dry-run", kind: "boolean", section: "Run", help: "print the files that would be written; write nothing" },
  { key: "help", kind: "boolean", section: "Run", help: "show this help", short: "h" },
  { key: "version", kind: "boolean", section: "Run", help: "show the version", short: "v" },
] as const satisfies readonly RunFlag[];

// ---------------------------------------------------------------------------------------------
// Types derived from the table

type AnyQuestion = (typeof QUESTIONS)[number];
type AnyRunFlag = (typeof RUN_FLAGS)[number];
export type QuestionKey = AnyQuestion["key"];
type Answer<Q> = Q extends { kind: "boolean" } ? boolean : string;

/** The values a choice question accepts: ChoiceValue<"framework"> is "strands" | "langgraph" | "basic". */
export type ChoiceValue<K extends QuestionKey> =
  Extract<AnyQuestion, { key: K }> extends { choices: readonly (infer C)[] }
    ? C extends { value: infer V }
      ? V
      : never
    : never;

/** Answers to the questions, keyed like the flags; undefined is "not given yet". */
export type Answers = { -readonly [Q in AnyQuestion as Q["key"]]?: Answer<Q> };

type RunValue<F> = F extends { kind: "answers" }
  ? Record<string, string>
  : F extends { kind: "boolean" }
    ? boolean
    : string;
type Optional<F> = F extends { kind: "boolean"; form: "pair" } ? true : F extends { kind: "boolean" } ? false : true;

/** Everything a command line says: the answers, and the flags that steer the run. */
export type Flags = Answers & {
  -readonly [F in AnyRunFlag as Optional<F> extends true ? F["key"] : never]?: RunValue<F>;
} & {
  -readonly [F in AnyRunFlag as Optional<F> extends true ? never : F["key"]]: RunValue<F>;
};

// ---------------------------------------------------------------------------------------------
// Lookups

/** The table as plain rows, for code that works on any question. */
const ROWS: readonly Question[] = QUESTIONS;
const BY_KEY: ReadonlyMap<string, Question> = new Map(ROWS.map((entry) => [entry.key, entry]));

export function question(key: string): Question {
  return BY_KEY.get(key)!;
}

export function isQuestionKey(key: string): key is QuestionKey {
  return BY_KEY.has(key);
}

/** A question a user can answer: a choice question with one choice is a fixed value. */
export function isVisible(entry: Question): boolean {
  return entry.kind !== "choice" || entry.choices.length > 1;
}

const VISIBLE = ROWS.filter(isVisible);

/** The questions a user can answer, in the table's order. */
export function visibleQuestions(): readonly Question[] {
  return VISIBLE;
}

export function choiceValues(key: string): string[] {
  const entry = question(key);
  return entry.kind === "choice" ? entry.choices.map((choice) => choice.value) : [];
}

export function choiceOf(key: string, value: unknown): Choice | undefined {
  const entry = question(key);
  return entry.kind === "choice" ? entry.choices.find((choice) => choice.value === value) : undefined;
}

/** A choice as the question spells it (`Strands` → `strands`); anything else as given, for the error to quote. */
export function canonicalChoice(key: string, value: string): string {
  if (!isQuestionKey(key)) return value;
  const lower = value.toLowerCase();
  return choiceValues(key).find((choice) => choice.toLowerCase() === lower) ?? value;
}

export function questionDefault(key: string): string | boolean | undefined {
  return question(key).default;
}

/**
 * A choice question's default for these answers: its `default`, or when they rule that out, the
 * first choice they allow (OpenAI Agents: the OpenAI API, as Bedrock is not native to it). An
 * answer whose row names the allowed values names them in its order of preference (Google ADK:
 * Gemini first, then the Anthropic and OpenAI APIs).
 */
export function choiceDefault(key: string, given: Given): string {
  const entry = question(key);
  if (entry.kind !== "choice") throw new Error(`${key} is not a choice question`);
  const allowed = allowedChoices(key, given).map((choice) => choice.value);
  if (allowed.includes(entry.default)) return entry.default;
  const named = Object.entries(given).flatMap(([other, value]) =>
    other === key || !isQuestionKey(other) ? [] : (choiceOf(other, value)?.supports?.[key] ?? []),
  );
  return named.find((value) => allowed.includes(value)) ?? allowed[0] ?? entry.default;
}

/** The answer given for a choice question, else its default for the other answers. */
export function choiceOrDefault(key: string, given: Given): string {
  const value = given[key];
  return typeof value === "string" ? value : choiceDefault(key, given);
}

/** What is wrong with a typed answer to a text or list question: its length and encoding, then the row's own check. */
export function textAnswerProblem(entry: TextQuestion, value: string, given?: Given): string | undefined {
  return (
    textLimitProblem(value, entry.maxLength) ??
    entry.check?.(value) ??
    (given === undefined ? undefined : entry.checkWith?.(value, given))
  );
}

/** Frameworks whose row names `key` in `supports` (e.g. the ones with stream modes). */
function frameworksSupporting(key: string): string[] {
  return choiceValues("framework").filter((value) => choiceOf("framework", value)?.supports?.[key] !== undefined);
}

/** Why `entry` does not apply to these answers, or undefined when it does. */
export function notApplicable(entry: Question, given: Given): string | undefined {
  return entry.when?.(given);
}

/**
 * Why the answer given for `entry` cannot apply, whatever the `open` questions (those still to be
 * asked) are answered, or undefined while some answers to them would make it apply. Every value
 * of an open choice or yes/no question is tried; open text questions decide no rule.
 */
export function ruledOut(entry: Question, given: Given, open: readonly Question[]): string | undefined {
  const reason = notApplicable(entry, given);
  if (reason === undefined) return undefined;
  const [next, ...rest] = open;
  if (!next) return reason;
  const values: (string | boolean)[] =
    next.kind === "choice" ? next.choices.map((choice) => choice.value) : next.kind === "boolean" ? [true, false] : [];
  for (const value of values)
    if (ruledOut(entry, { ...given, [next.key]: value }, rest) === undefined) return undefined;
  return values.length === 0 ? ruledOut(entry, given, rest) : reason;
}

/**
 * The values of `key` the other answers allow (every value of the question when none restricts
 * it): a choice's `supports` restricts the other questions, and a value whose own `supports` rule
 * out an answer already given is left out too.
 */
export function allowedChoices(key: string, given: Given): Choice[] {
  const entry = question(key);
  if (entry.kind !== "choice") return [];
  return entry.choices.filter((choice) => conflicts(key, choice, given).length === 0);
}

/** The answers in `given` that rule out `choice` for `key`, as [other key, its value]. */
function conflicts(key: string, choice: Choice, given: Given): [string, string][] {
  const found: [string, string][] = [];
  for (const [other, value] of Object.entries(given)) {
    if (other === key || typeof value !== "string" || !isQuestionKey(other)) continue;
    const otherChoice = choiceOf(other, value);
    const allowedByOther = otherChoice?.supports?.[key];
    const allowedByMe = choice.supports?.[other];
    if ((allowedByOther && !allowedByOther.includes(choice.value)) || (allowedByMe && !allowedByMe.includes(value))) {
      found.push([other, value]);
    }
  }
  return found;
}

/**
 * The first pair of answers that do not go together, as a one-line message naming what works,
 * or undefined. `given` holds every answer (defaults applied).
 */
export function unsupportedPair(given: Given): string | undefined {
  // Only a choice that declares `supports` can rule anything out.
  if (!ROWS.some((entry) => entry.kind === "choice" && choiceOf(entry.key, given[entry.key])?.supports))
    return undefined;
  // An answer whose question does not apply rules nothing out (no build for the starter toolkit).
  const applying = Object.fromEntries(
    Object.entries(given).filter(([key]) => !isQuestionKey(key) || notApplicable(question(key), given) === undefined),
  );
  for (const entry of ROWS) {
    if (entry.kind !== "choice" || notApplicable(entry, given) !== undefined) continue;
    const choice = choiceOf(entry.key, given[entry.key]);
    if (!choice) continue;
    const [clash] = conflicts(entry.key, choice, applying);
    if (!clash) continue;
    const [other, value] = clash;
    // What works: the values whose rows allow it, and for which the other answer applies at all.
    const works = allowedChoices(entry.key, { [other]: value })
      .filter((ok) => notApplicable(question(other), { ...given, [entry.key]: ok.value }) === undefined)
      .map((ok) => ok.value);
    return `--${entry.key} ${choice.value} does not work with --${other} ${value}; with --${other} ${value}, --${entry.key} can be ${works.join(", ") || "nothing"}`;
  }
  return undefined;
}

/** The template layers a project is made of, in order: later layers replace earlier layers' files. */
export function layersFor(given: Given): string[] {
  const layers: string[] = [];
  for (const entry of ROWS) {
    if (notApplicable(entry, given) !== undefined) continue;
    const value = given[entry.key];
    if (entry.kind === "choice") layers.push(...(choiceOf(entry.key, value)?.layers ?? []));
    if (entry.kind === "boolean" && value === true) layers.push(...(entry.layers ?? []));
  }
  return layers;
}
