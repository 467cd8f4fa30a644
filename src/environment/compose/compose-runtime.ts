import { EnvironmentUnavailableError } from '../../config/errors.ts';
import type { ConformanceConfig } from '../../config/schema.ts';
import type { StartedEnvironment } from '../environment.ts';
import type { ComposeDefinition } from './compose-definition.ts';
import type { EngineEndpoint } from './docker-engine.ts';

export interface RuntimeDeps {
  definition: ComposeDefinition | undefined;
  endpoint: EngineEndpoint;
  engineVersion: string;
  progress: (line: string) => void;
  env: Record<string, string | undefined>;
}

export async function startComposeRuntime(_config: ConformanceConfig, deps: RuntimeDeps): Promise<StartedEnvironment> {
  throw new EnvironmentUnavailableError(`bringing the harness up on the Docker engine at ${deps.endpoint.url} is not built yet; use --definition-only`);
}
