import type { ConformanceConfig } from '../config/schema.ts';
import type { CallbackExposure } from './environment.ts';

/**
 * The callback server as the user configured it (`callback.*`), on `defaultPort` where no port is
 * set: a fixed one where the user must tell the hub where we are, any free one (0) where the target
 * registers it with its hub itself.
 */
export function configuredCallback(callback: ConformanceConfig['callback'], defaultPort: number): CallbackExposure {
  return { host: callback.host, port: callback.port ?? defaultPort, publicUrl: callback.publicUrl };
}
