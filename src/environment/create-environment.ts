import { UserError } from '../config/errors.ts';
import type { ConformanceConfig } from '../config/schema.ts';
import { EmbeddedEnvironment } from './embedded/embedded-environment.ts';
import type { ConformanceEnvironment } from './environment.ts';
import { KubernetesEnvironment } from './kubernetes/kubernetes-environment.ts';
import { UrlEnvironment } from './url/url-environment.ts';

/** The one place a target kind becomes an environment. */
export function createEnvironment(config: ConformanceConfig): ConformanceEnvironment {
  switch (config.target) {
    case 'embedded':
      return new EmbeddedEnvironment(config);
    case 'url':
      return new UrlEnvironment(config);
    case 'compose':
      throw new UserError('target "compose" (Core Test Harness via docker compose and testcontainers) is not available in this version; '
        + 'use --target embedded, or --target url --hub-url <FSPIOP endpoint> against a running harness');
    case 'kubernetes':
      return new KubernetesEnvironment(config);
  }
}
