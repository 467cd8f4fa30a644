import { createServer } from 'node:net';
import type Dockerode from 'dockerode';
import { EnvironmentUnavailableError } from '../../config/errors.ts';
import type { ConfigFor } from '../../config/schema.ts';
import type { CallbackExposure, StartedEnvironment } from '../environment.ts';

/** A free TCP port on an address (bound, read, released). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** The gateway of a Docker network: the host's address on that bridge, as its containers reach the host. */
export async function gatewayOf(docker: Dockerode, network: string): Promise<string | undefined> {
  const inspect = await docker.getNetwork(network).inspect() as { IPAM?: { Config?: Array<{ Gateway?: string }> } };
  return inspect.IPAM?.Config?.find((c) => c.Gateway)?.Gateway;
}

/** A hub running in containers, reached as the url target reaches any hub, and where the hub reaches us. */
export interface HubInside {
  hub: StartedEnvironment;
  /** Where our callback server listens (the network's gateway), unless the user named a public URL. */
  callbackListen?: CallbackExposure;
  /** One line for the run's description: the endpoints and where callbacks reach us. */
  note: string;
}

/**
 * Reaches a hub inside a container network through the ports it publishes on the host — our test DFSPs
 * provisioned through its admin API, when published — with our callback server and payee listening on
 * the network's gateway, the address containers reach the host by (no container needs a name for the host).
 */
export async function reachHubInside(config: ConfigFor<'compose'>, where: { fspiopPort: number; adminPort: number | undefined; gateway: string; fspiopFrom: string; adminFrom: string; network: string }): Promise<HubInside> {
  const { fspiopPort, adminPort, gateway } = where;
  const [callbackPort, payeePort] = [await freePort(gateway), await freePort(gateway)];
  const userCallback = config.callback.publicUrl;
  // Our callback server serves https when security.callbackTls says so: the hub must be told that scheme.
  const scheme = config.security?.callbackTls ? 'https' : 'http';
  const callbackListen = userCallback ? undefined : { host: gateway, port: callbackPort, publicUrl: `${scheme}://${gateway}:${callbackPort}` };
  const { UrlEnvironment } = await import('../url/url-environment.ts');
  const { compose: _compose, ...shared } = config;
  const hubConfig: ConfigFor<'url'> = {
    ...shared,
    target: 'url',
    hub: { ...config.hub, url: `http://127.0.0.1:${fspiopPort}`, ...(adminPort !== undefined ? { adminUrl: `http://127.0.0.1:${adminPort}` } : {}) },
    callback: callbackListen ? { ...config.callback, ...callbackListen } : config.callback,
    provision: {
      ...config.provision,
      ...(adminPort === undefined ? { enabled: false } : {}),
      payee: config.provision.payee.publicUrl ? config.provision.payee : { host: gateway, port: payeePort, publicUrl: `http://${gateway}:${payeePort}` },
    },
  };
  const hub = await new UrlEnvironment(hubConfig).start();
  const note = `FSPIOP API: ${hub.hubUrl} (${where.fspiopFrom})${adminPort !== undefined ? `; admin API: http://127.0.0.1:${adminPort} (${where.adminFrom})` : ''}; `
    + `callbacks reach us at ${callbackListen?.publicUrl ?? userCallback} (the gateway of ${where.network})`;
  return { hub, ...(callbackListen ? { callbackListen } : {}), note };
}

/** A network without a gateway leaves the hub no way to our callback server: said as such. */
export function noGateway(what: string): EnvironmentUnavailableError {
  return new EnvironmentUnavailableError(`${what} is on no network with a gateway: the hub in it cannot reach our callback server`);
}
