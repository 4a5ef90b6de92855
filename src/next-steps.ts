import { shellWord } from "./escape.js";
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
