#!/usr/bin/env node
// The CDK app `agentcore deploy` runs (from agentcore/cdk/, after `npm run build`): one stack per
// target of ../aws-targets.json, each holding everything ../agentcore.json declares.
import { ConfigIO, setSessionProjectRoot } from "@aws/agentcore-cdk";
import { App } from "aws-cdk-lib";
import * as path from "node:path";
import { AgentCoreStack, type Credentials } from "../lib/agentcore-stack";

/** The stack name the AgentCore CLI looks for: AgentCore-<project>-<target>. */
function stackName(project: string, target: string): string {
  return `AgentCore-${project.replace(/_/g, "-")}-${target.replace(/_/g, "-")}`;
}

async function main(): Promise<void> {
  const configDir = path.resolve(process.cwd(), "..");
  // The constructs look for agentcore/ from INIT_CWD (where `npm run` was started), then the
  // working directory: pin them to this project, wherever the deploy was started from.
  setSessionProjectRoot(path.dirname(configDir));
  const config = new ConfigIO({ baseDir: configDir });
  const spec = await config.readProjectSpec();
  const targets = await config.readAWSDeploymentTargets();
  if (targets.length === 0) {
    throw new Error(
      "agentcore/aws-targets.json names no target: `agentcore deploy` adds one from your AWS credentials, or add {name, account, region}",
    );
  }
  // Credential providers `agentcore deploy` created before synthesis (none on a first deploy).
  const deployed = await config.readDeployedState().catch(() => undefined);

  const app = new App();
  for (const target of targets) {
    const resources = deployed?.targets?.[target.name]?.resources as { credentials?: Credentials } | undefined;
    new AgentCoreStack(app, stackName(spec.name, target.name), {
      env: { account: target.account, region: target.region },
      spec,
      credentials: resources?.credentials,
      description: `AgentCore stack for ${spec.name} in ${target.name} (${target.region})`,
      tags: { "agentcore:project-name": spec.name, "agentcore:target-name": target.name },
    });
  }
  app.synth();
}

main().catch((error: unknown) => {
  console.error("AgentCore CDK synthesis failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
