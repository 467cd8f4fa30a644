import { Then, When } from '@cucumber/cucumber';
import type { ConformanceWorld } from './world.ts';

When('a client without credentials sends an FSPIOP request to the hub', async function (this: ConformanceWorld) {
  await this.posture.sendWithout('credentials');
});

When('a DFSP sends an FSPIOP request without an FSPIOP-Signature', async function (this: ConformanceWorld) {
  await this.posture.sendWithout('signature');
});

Then('the hub accepts it', async function (this: ConformanceWorld) {
  await this.record(this.posture.accepted());
});

Then('a participant without a client certificate is refused at the TLS handshake', async function (this: ConformanceWorld) {
  const result = await this.posture.mutualTls();
  if ('notEvaluated' in result) return this.notEvaluated(result.notEvaluated);
  await this.record(result);
  return undefined;
});

Then('the hub refuses it', async function (this: ConformanceWorld) {
  const refusal = this.posture.refused();
  if ('notEvaluated' in refusal) return this.notEvaluated(refusal.notEvaluated);
  await this.record(refusal);
  return undefined;
});

Then('the hub\'s FSPIOP endpoint is served over TLS', async function (this: ConformanceWorld) {
  await this.record(await this.posture.tlsAtEdge());
});

Then('an unauthenticated request to the admin API is refused', async function (this: ConformanceWorld) {
  await this.record(await this.posture.adminApiRefusesAnonymous());
});
