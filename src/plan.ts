import { builtinLayer } from "./builtin-layers.js";
import { type Layer, outputPath, type PlannedFile } from "./layer.js";
import { apiKeySettings, DIRECT_CATALOGS, isDirect } from "./models/direct-catalog.js";
import { configureCommand } from "./next-steps.js";
import { agentDir, answersOf, type Options } from "./options.js";
import { projectRecord, RECORD_FILE, type TemplateRecord } from "./preset.js";
import { choiceOf, layersFor } from "./registry.js";
import { render, type Template } from "./render.js";
import { VERSION } from "./version.js";

/** The built-in template layers of a project, in order (registry.ts decides which). */
export function projectLayers(options: Options): string[] {
  return layersFor(answersOf(options));
}

/** Python requirement specifiers keyed by distribution name, so a later layer can re-pin one. */
function mergeRequirements(lists: (string[] | undefined)[]): string[] {
  const byName = new Map<string, string>();
  for (const list of lists) {
    for (const requirement of list ?? []) {
      const name = requirement
        .match(/^[A-Za-z0-9._-]+/)![0]
        .toLowerCase()
        .replace(/[._]/g, "-");
      byName.set(name, requirement);
    }
  }
  // Code-point order: the same on every machine, and no ICU collator to load (~15 ms of a run).
  return [...byName.values()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Every variable a template may use, built-in and team alike (docs/templates.md describes each).
 * Strict rendering makes any other name an error; templateContext()'s return type keeps it and
 * this list in step.
 */
export const TEMPLATE_CONTEXT_KEYS = [
  "directory",
  "projectName",
  "agentName",
  "packageName",
  "description",
  "language",
  "framework",
  "frameworkLabel",
  "protocol",
  "provider",
  "deploy",
  "deployLabel",
  "agentDir",
  "agentPrefix",
  "agentcoreProject",
  "build",
  "requestedModel",
  "inferenceProfile",
  "skipModelCheck",
  "modelId",
  "modelLabel",
  "modelNotes",
  "modelLifecycle",
  "profileId",
  "profileBaseModelId",
  "modelVariable",
  "modelClass",
  "apiKey",
  "region",
  "auth",
  "jwt",
  "streaming",
  "streamMode",
  "asyncTask",
  "account",
  "dependencies",
  "devDependencies",
  "configureCommand",
  "toolVersion",
] as const;

/** Context values a person typed as free text: a template writes them only through an escaper. */
export const FREE_TEXT_CONTEXT_KEYS: readonly string[] = ["directory", "projectName", "description"];

/** Everything a template may refer to. Strict rendering makes a missing key an error. */
export function templateContext(
  options: Options,
  layers: Layer[],
): Record<(typeof TEMPLATE_CONTEXT_KEYS)[number], unknown> {
  const model = options.resolvedModel;
  const framework = choiceOf("framework", options.framework)!;
  const deployTarget = choiceOf("deploy", options.deploy)!;
  return {
    directory: options.directory,
    projectName: options.directoryName,
    agentName: options.name,
    // The Python distribution name in its normalised form (PEP 503): my_agent → my-agent. A name
    // must end in a letter or digit (PEP 508), and an agent name may end in "_": that is dropped.
    packageName: options.name.toLowerCase().replace(/_/g, "-").replace(/-+$/, ""),
    description: options.description,
    language: options.language,
    framework: options.framework,
    frameworkLabel: framework.title ?? framework.label,
    protocol: options.protocol,
    provider: options.provider,
    deploy: options.deploy,
    deployLabel: deployTarget.title ?? deployTarget.label,
    agentDir: agentDir(options),
    // Where the agent's files are, as a path prefix: "" or "app/<agent>/".
    agentPrefix: agentDir(options) ? `${agentDir(options)}/` : "",
    agentcoreProject: options.deploy === "agentcore-cli" ? options.projectName : false,
    build: options.deploy === "agentcore-cli" ? options.build : false,
    requestedModel: options.model,
    inferenceProfile: options.inferenceProfile,
    skipModelCheck: options.skipModelCheck,
    modelId: model.modelId,
    modelLabel: model.label,
    modelNotes: model.notes,
    modelLifecycle: model.lifecycle,
    profileId: model.profile?.id ?? false,
    profileBaseModelId: model.profile?.baseModelId ?? false,
    ...modelContext(options),
    region: options.region,
    auth: options.auth,
    jwt:
      options.auth === "jwt"
        ? {
            discoveryUrl: options.discoveryUrl,
            allowedClients: options.allowedClients,
            allowedAudience: options.allowedAudience,
            allowedScopes: options.allowedScopes,
          }
        : false,
    streaming: options.streaming,
    streamMode: options.streamMode,
    asyncTask: options.asyncTask,
    account: options.account ?? false,
    dependencies: mergeRequirements(
      layers.flatMap((layer) => [
        layer.manifest.dependencies,
        layer.manifest.frameworkDependencies?.[options.framework],
      ]),
    ),
    devDependencies: mergeRequirements(layers.map((layer) => layer.manifest.devDependencies)),
    configureCommand: configureCommand(options),
    toolVersion: VERSION,
  };
}

/**
 * What the agent reads its model from: the variable naming the model ID, the Strands model class,
 * and for a provider called with an API key, where that key comes from on each deploy target.
 */
function modelContext(options: Options) {
  if (!isDirect(options.provider)) {
    return { modelVariable: "BEDROCK_MODEL_ID", modelClass: "BedrockModel", apiKey: false as const };
  }
  return {
    modelVariable: `${options.provider.toUpperCase()}_MODEL_ID`,
    modelClass: DIRECT_CATALOGS[options.provider].modelClass,
    apiKey: apiKeySettings(options.provider, options.deploy),
  };
}

/**
 * A team template's part of a project (src/team/): its layer goes on top of the built-in ones,
 * its values (`team`, `template`) join the context, and the record names it.
 */
export interface PlanExtension {
  layer: Layer;
  context: Record<string, unknown>;
  record: TemplateRecord;
}

/**
 * The whole project as data: every file's path and contents, sorted by path. Reads the built-in
 * template layers (from templates/ in development, from the bundle when built) and nothing else;
 * writes nothing.
 */
export function plan(options: Options, extension?: PlanExtension): PlannedFile[] {
  const layers = projectLayers(options).map((name) => builtinLayer(name));
  if (extension) layers.push(extension.layer);
  const context = { ...templateContext(options, layers), ...extension?.context };
  const folder = agentDir(options);
  // Output path → where it comes from; a later layer's file replaces an earlier one's.
  const chosen = new Map<string, { templatePath: string; source: Template | string }>();
  const partials: Record<string, Template> = {};
  for (const layer of layers) {
    for (const [name, source] of layer.partials) partials[name] = source;
    for (const [templatePath, source] of layer.files) {
      chosen.set(outputPath(templatePath, folder), { templatePath: `${layer.name}/${templatePath}`, source });
    }
  }
  const files = [...chosen].map(([path, { templatePath, source }]) => ({
    path,
    contents: typeof source === "string" ? source : render(source, context, templatePath, partials),
  }));
  files.push({ path: RECORD_FILE, contents: projectRecord(options, extension?.record) });
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
