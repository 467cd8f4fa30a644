import { Then, type DataTable } from '@cucumber/cucumber';
import type { ComponentKind } from '../src/inventory/component-kinds.ts';
import type { ConformanceWorld } from './world.ts';

// One column of names under a header row, e.g. | service |.
const names = (table: DataTable): string[] => table.raw().slice(1).map((row) => row[0]!.trim());

Then('the deployment runs on a single node', async function (this: ConformanceWorld) {
  await this.record((await this.session.inventory()).nodeCount({ atLeast: 1, atMost: 1 }));
});

Then('the deployment runs on at most {int} nodes', async function (this: ConformanceWorld, n: number) {
  await this.record((await this.session.inventory()).nodeCount({ atMost: n }));
});

Then('the deployment runs on at least {int} nodes', async function (this: ConformanceWorld, n: number) {
  await this.record((await this.session.inventory()).nodeCount({ atLeast: n }));
});

Then('every component is orchestrated by docker compose', async function (this: ConformanceWorld) {
  await this.record((await this.session.inventory()).orchestratedByCompose());
});

Then('the compose definition offers named profiles to choose from', async function (this: ConformanceWorld) {
  await this.record((await this.session.inventory()).configurableProfiles());
});

Then('no component is managed by Helm', async function (this: ConformanceWorld) {
  await this.record((await this.session.inventory()).noHelm());
});

Then('every Mojaloop component is managed by Helm', async function (this: ConformanceWorld) {
  await this.record((await this.session.inventory()).helmManaged());
});

Then('no {componentKind} component is deployed', async function (this: ConformanceWorld, kind: ComponentKind) {
  await this.record((await this.session.inventory()).noneOfKind(kind));
});

Then('the {componentKind} stack is deployed and healthy', async function (this: ConformanceWorld, kind: ComponentKind) {
  await this.record((await this.session.inventory()).kindDeployedAndHealthy(kind));
});

Then('these services are deployed and healthy:', async function (this: ConformanceWorld, table: DataTable) {
  await this.record((await this.session.inventory()).servicesHealthy(names(table)));
});

Then('these optional services, where deployed, are healthy:', async function (this: ConformanceWorld, table: DataTable) {
  await this.record((await this.session.inventory()).servicesHealthy(names(table), true));
});

Then('the Kubernetes distribution is one of:', async function (this: ConformanceWorld, table: DataTable) {
  await this.record((await this.session.inventory()).distributionIn(names(table)));
});

Then('the platform is one of:', async function (this: ConformanceWorld, table: DataTable) {
  await this.record((await this.session.inventory()).platformIn(names(table)));
});

Then('these Helm releases are deployed:', async function (this: ConformanceWorld, table: DataTable) {
  await this.record((await this.session.inventory()).helmReleasesDeployed(names(table)));
});

Then('every Helm test job of release {string} completed successfully', async function (this: ConformanceWorld, release: string) {
  await this.record((await this.session.inventory()).helmTestJobsSucceeded(release));
});

Then('the test job {string} completed successfully', async function (this: ConformanceWorld, job: string) {
  await this.record((await this.session.inventory()).jobSucceeded(job));
});

Then('every GitOps application is synced and healthy', async function (this: ConformanceWorld) {
  await this.record((await this.session.inventory()).gitOpsApplicationsSynced());
});

Then('Kafka replicates topics at least {int} times', async function (this: ConformanceWorld, factor: number) {
  await this.record((await this.session.inventory()).kafkaReplicationAtLeast(factor));
});

Then('Kafka retains messages for at least {duration}', async function (this: ConformanceWorld, ms: number) {
  await this.record((await this.session.inventory()).kafkaRetentionAtLeast(ms));
});

Then('backups of the ledger are kept for at least {duration}', async function (this: ConformanceWorld, ms: number) {
  await this.record((await this.session.inventory()).ledgerRetentionAtLeast(ms));
});

Then('the control centre manages at least {int} hub environments, each synced and healthy', async function (this: ConformanceWorld, minimum: number) {
  await this.record((await this.session.inventory()).hubEnvironmentsManaged(minimum));
});

Then('the cluster\'s nodes offer at least {memory} of memory and {int} CPU cores together', async function (this: ConformanceWorld, memoryGiB: number, cores: number) {
  await this.record((await this.session.inventory()).capacityAtLeast(memoryGiB, cores));
});

Then('these services run with at least {int} ready replicas:', async function (this: ConformanceWorld, minimum: number, table: DataTable) {
  await this.record((await this.session.inventory()).replicasAtLeast(names(table), minimum));
});

Then('these services keep their data on bound persistent volumes:', async function (this: ConformanceWorld, table: DataTable) {
  await this.record((await this.session.inventory()).persistentVolumes(names(table)));
});

Then('a backup schedule is deployed', async function (this: ConformanceWorld) {
  await this.record((await this.session.inventory()).backupSchedule());
});

Then('an archiving job is deployed and its last run succeeded within its schedule', async function (this: ConformanceWorld) {
  await this.record((await this.session.inventory()).archivingJob());
});

Then('every Mojaloop container runs as a non-root user with a read-only root filesystem', async function (this: ConformanceWorld) {
  await this.record((await this.session.inventory()).containersHardened());
});

Then('no Mojaloop container runs privileged', async function (this: ConformanceWorld) {
  await this.record((await this.session.inventory()).noPrivileged());
});

Then('every operator, database and broker container runs unprivileged as a non-root user', async function (this: ConformanceWorld) {
  await this.record((await this.session.inventory()).supportingContainersHardened());
});

Then('every namespace running Mojaloop has a network policy', async function (this: ConformanceWorld) {
  await this.record((await this.session.inventory()).networkPoliciesCover());
});

Then('every port the deployment publishes to the host is declared in its definition and reachable without credentials', async function (this: ConformanceWorld) {
  await this.record((await this.session.inventory()).publishedPortsDocumentedAndReachable());
});

Then('the deployment uses at most {memory} of memory and {int} CPU cores at rest', async function (this: ConformanceWorld, memoryGiB: number, cores: number) {
  await this.record((await this.session.inventory()).usageAtMost(memoryGiB, cores));
});
