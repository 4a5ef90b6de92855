import { homedir } from "node:os";
import { join, resolve } from "node:path";

/**
 * create-agentcore's cache folder (fetched team templates, compiled code):
 * $CREATE_AGENTCORE_CACHE_DIR, else the user's cache folder.
 */
export function cacheRoot(env: NodeJS.ProcessEnv): string {
  if (env.CREATE_AGENTCORE_CACHE_DIR) return resolve(env.CREATE_AGENTCORE_CACHE_DIR);
  if (process.platform === "win32" && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, "create-agentcore", "Cache");
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "create-agentcore");
  return join(homedir(), ".cache", "create-agentcore");
}
