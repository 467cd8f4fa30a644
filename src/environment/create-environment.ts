import type { ConformanceConfig } from '../config/schema.ts';
import { ComposeEnvironment, type ComposeEnvironmentOptions } from './compose/compose-environment.ts';
import { EmbeddedEnvironment } from './embedded/embedded-environment.ts';
import type { ConformanceEnvironment } from './environment.ts';
import { KubernetesEnvironment } from './kubernetes/kubernetes-environment.ts';
import { UrlEnvironment } from './url/url-environment.ts';
import type { FspiopTransport } from '../fspiop/fspiop-transport.ts';

/** The one place a target kind becomes an environment. */
export function createEnvironment(config: ConformanceConfig, options: ComposeEnvironmentOptions & { transport?: FspiopTransport } = {}): ConformanceEnvironment {
  switch (config.target) {
    case 'embedded':
      return new EmbeddedEnvironment(config);
    case 'url':
      return new UrlEnvironment(config, { transport: options.transport });
    case 'compose':
      return new ComposeEnvironment(config, options);
    case 'kubernetes':
      return new KubernetesEnvironment(config, { ...(options.progress ? { progress: options.progress } : {}), ...(options.signal ? { signal: options.signal } : {}), ...(options.held ? { held: options.held } : {}) });
  }
}
