import { join } from "node:path";
import { execa } from "execa";
import type { Io } from "./io.js";

// Loaded only after the files are written and only when a post-step runs, so --dry-run and
// failed runs never load execa.

interface Step {
  label: string;
  /** Where it runs: the project's root, or the agent's own folder (its uv project). */
  where: "project" | "agent";
  /** Runs the step; resolves to a reason when it is skipped. */
  run: (cwd: string) => Promise<string | undefined>;
  /** What the user can run by hand when the step fails. */
  manual: string;
}

async function available(command: string): Promise<boolean> {
  const result = await execa(command, ["--version"], { reject: false });
  return result.exitCode === 0;
}

const GIT: Step = {
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
  label: "uv sync",
  where: "agent",
  manual: "uv sync",
  run: async (cwd) => {
    if (!(await available("uv")))
      return "uv is not installed (pip install uv, or see https://docs.astral.sh/uv/), then run uv sync";
    await execa("uv", ["sync", "--quiet"], { cwd });
  },
};

/**
 * Optional conveniences after writing, in the project folder and the agent's folder within it
 * (`agentDir`, relative; empty when the agent is the project): each reports what it did; a
 * failure is a warning, never a crash.
 */
export async function runPostSteps(
  directory: string,
  agentDir: string,
  wanted: { git: boolean; install: boolean },
  io: Io,
): Promise<void> {
  // Install first, so the first commit includes the uv.lock that uv sync writes.
  const steps = [wanted.install && INSTALL, wanted.git && GIT].filter((step): step is Step => step !== false);
  for (const step of steps) {
    try {
      const skipped = await step.run(step.where === "agent" ? join(directory, agentDir) : directory);
      io.out(skipped ? `skipped ${step.label}: ${skipped}` : `ran ${step.label}`);
    } catch (error) {
      const reason = ((error as { shortMessage?: string }).shortMessage ?? String(error)).split("\n")[0];
      const manual = step.where === "agent" && agentDir ? `cd ${agentDir} && ${step.manual}` : step.manual;
      io.err(`warning: ${step.label} failed (${reason}); run it yourself: ${manual}`);
    }
  }
}
