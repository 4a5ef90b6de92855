import { join } from "node:path";
import { execa } from "execa";
import type { Io } from "./io.js";

// Loaded only after the files are written and only when a post-step runs, so --dry-run and
// failed runs never load execa.

/** Where a step runs: the project's root, the agent's folder (its uv project), or the target's Node project. */
type Where = "project" | "agent" | "node";

interface Step {
  key: keyof Ran;
  label: string;
  where: Where;
  /** Runs the step; resolves to a reason when it is skipped. */
  run: (cwd: string) => Promise<string | undefined>;
  /** What the user can run by hand when the step fails, in its folder. */
  manual: string;
}

async function available(command: string): Promise<boolean> {
  const result = await execa(command, ["--version"], { reject: false });
  return result.exitCode === 0;
}

const GIT: Step = {
  key: "git",
  label: "git init",
  where: "project",
  manual: 'git init && git add -A && git commit -m "Initial commit from create-agentcore"',
  run: async (cwd) => {
    if (!(await available("git"))) return "git is not installed";
    const inside = await execa("git", ["rev-parse", "--is-inside-work-tree"], { cwd, reject: false });
    if (inside.exitCode === 0) return "already inside a git repository";
    await execa("git", ["init", "--quiet"], { cwd });
    await execa("git", ["add", "-A"], { cwd });
    // An identity may be missing on fresh machines; the commit is a convenience, so give one.
    const identity = ["-c", "user.name=create-agentcore", "-c", "user.email=create-agentcore@users.noreply.local"];
    const hasIdentity = (await execa("git", ["config", "user.email"], { cwd, reject: false })).exitCode === 0;
    await execa(
      "git",
      [...(hasIdentity ? [] : identity), "commit", "--quiet", "-m", "Initial commit from create-agentcore"],
      { cwd },
    );
  },
};

const INSTALL: Step = {
  key: "install",
  label: "uv sync",
  where: "agent",
  manual: "uv sync",
  run: async (cwd) => {
    if (!(await available("uv")))
      return "uv is not installed (pip install uv, or see https://docs.astral.sh/uv/), then run uv sync";
    await execa("uv", ["sync", "--quiet"], { cwd });
  },
};

const NPM_INSTALL: Step = {
  key: "npmInstall",
  label: "npm install",
  where: "node",
  manual: "npm install",
  run: async (cwd) => {
    if (!(await available("npm"))) return "npm is not installed; install Node.js 20 or later, then run npm install";
    await execa("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd });
  },
};

/** Which steps ran to the end. */
export interface Ran {
  git: boolean;
  install: boolean;
  npmInstall: boolean;
}

/**
 * Optional conveniences after writing, each in its folder of the project (`folders`, relative to
 * it: the agent's, "" when the agent is the project; the deploy target's Node project, if it has
 * one): each reports what it did; a failure is a warning, never a crash. On a terminal each shows
 * a spinner with the time so far.
 */
export async function runPostSteps(
  directory: string,
  folders: { agent: string; node: string | undefined },
  wanted: { git: boolean; install: boolean },
  io: Io,
): Promise<Ran> {
  const ran: Ran = { git: false, install: false, npmInstall: false };
  const folderOf: Record<Where, string | undefined> = { project: "", agent: folders.agent, node: folders.node };
  // Installs first, so the first commit includes the uv.lock and package-lock.json they write.
  const steps = [
    wanted.install && INSTALL,
    wanted.install && folders.node !== undefined && NPM_INSTALL,
    wanted.git && GIT,
  ].filter((step): step is Step => step !== false);
  const { startSpinner } = io.terminal ? await import("./spinner.js") : { startSpinner: undefined };
  for (const step of steps) {
    const folder = folderOf[step.where] ?? "";
    const label = folder ? `${step.label} in ${folder}` : step.label;
    const spinner = startSpinner?.(label);
    try {
      const skipped = await step.run(join(directory, folder));
      const took = spinner?.stop();
      if (skipped) io.out(`skipped ${label}: ${skipped}`);
      else io.out(`${io.style.green("ran")} ${label}${took ? io.style.dim(` (${took})`) : ""}`);
      ran[step.key] = skipped === undefined;
    } catch (error) {
      spinner?.stop();
      const reason = ((error as { shortMessage?: string }).shortMessage ?? String(error)).split("\n")[0];
      const manual = folder ? `cd ${folder} && ${step.manual}` : step.manual;
      io.err(`${io.errStyle.yellow("warning:")} ${label} failed (${reason}); run it yourself: ${manual}`);
    }
  }
  return ran;
}
