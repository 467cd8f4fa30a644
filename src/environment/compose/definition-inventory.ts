import { relative } from 'node:path';
import type { DeployedComponent, DeploymentInventory } from '../../inventory/deployment-inventory.ts';
import { selectServices, type ComposeDefinition, type ComposeService } from './compose-definition.ts';

/** Where a definition inventory was read, as every measurement from it cites: folder, files, env file, profiles. */
export function definitionSource(definition: ComposeDefinition, profiles: readonly string[]): string {
  const where = relative(process.cwd(), definition.dir) || '.';
  return `compose definition ${where} (${definition.files.join(', ')}${definition.envFile ? `; env ${definition.envFile}` : ''}; profiles ${profiles.length ? profiles.join(', ') : 'none'})`;
}

/**
 * The deployment `docker compose --profile … up` would start, as an inventory: every selected
 * service with its image, profiles, health check, ports, networks, mounts and restart policy.
 * Nothing here ran: health is `unknown` and no port was tried (`observedFrom: 'definition'`).
 */
export function inventoryFromDefinition(definition: ComposeDefinition, profiles: readonly string[], projectName = definition.projectName): DeploymentInventory {
  const selected = selectServices(definition, profiles);
  const networks = new Set<string>();
  const volumes = new Set<string>();
  for (const service of selected) {
    for (const net of service.networks) networks.add(definition.networks[net]?.name ?? net);
    for (const mount of service.volumes) if (mount.type === 'volume' && mount.source) volumes.add(mount.source);
  }
  return {
    source: definitionSource(definition, profiles),
    observedFrom: 'definition',
    orchestrator: 'docker-compose',
    // docker compose (not swarm) places every service of a project on the one engine it talks to.
    nodes: [{ name: 'the Docker engine docker compose runs the project on', labels: {} }],
    components: selected.map((service) => componentOf(service, projectName)),
    helmReleases: [],
    composeProfiles: [...profiles],
    declaredProfiles: definition.declaredProfiles,
    networks: [...networks],
    volumes: [...volumes],
    resources: [],
    settings: {},
  };
}

function componentOf(service: ComposeService, projectName: string): DeployedComponent {
  const ports = service.ports.map((p) => ({ ...(p.published !== undefined ? { host: p.published } : {}), container: p.target, ...(p.hostIp ? { hostIp: p.hostIp } : {}), declared: true }));
  return {
    name: service.name,
    kind: 'service',
    definedIn: service.file,
    images: service.image ? [service.image] : service.build ? ['(built from the project)'] : [],
    // The labels docker compose puts on the containers of this service.
    labels: { ...service.labels, 'com.docker.compose.project': projectName, 'com.docker.compose.service': service.name },
    health: 'unknown',
    publishedPorts: ports.flatMap((p) => (p.host !== undefined ? [p.host] : [])),
    ports,
    ...(service.healthcheck && !service.healthcheck.disabled ? { healthcheck: service.healthcheck.test } : {}),
    profiles: service.profiles,
    networks: service.networks,
    mounts: service.volumes.map((v) => ({ type: v.type, ...(v.source ? { source: v.source } : {}), target: v.target, readOnly: v.readOnly })),
    ...(service.restart ? { restartPolicy: service.restart } : {}),
  };
}
