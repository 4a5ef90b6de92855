import { AgentCoreApplication, AgentCoreMcp, type AgentCoreProjectSpec } from "@aws/agentcore-cdk";
import { Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";

/** Credential provider ARNs by credential name, from agentcore/.cli/deployed-state.json. */
export type Credentials = Record<string, { credentialProviderArn: string; clientSecretArn?: string }>;

export interface AgentCoreStackProps extends StackProps {
  /** agentcore/agentcore.json */
  spec: AgentCoreProjectSpec;
  credentials?: Credentials;
}

/**
 * The project's resources, made by the AgentCore L3 constructs from agentcore.json: each runtime
 * with its execution role (and, for Container builds, its image build), memories, credentials,
 * and gateways once `agentcore add gateway` declares some.
 */
export class AgentCoreStack extends Stack {
  readonly application: AgentCoreApplication;

  constructor(scope: Construct, id: string, props: AgentCoreStackProps) {
    super(scope, id, props);
    const { spec, credentials } = props;
    this.application = new AgentCoreApplication(this, "Application", { spec, ...(credentials && { credentials }) });
    if (spec.agentCoreGateways?.length) {
      new AgentCoreMcp(this, "Mcp", {
        projectName: spec.name,
        mcpSpec: { agentCoreGateways: spec.agentCoreGateways },
        agentCoreApplication: this.application,
        credentials,
        projectTags: spec.tags,
      });
    }
  }
}
