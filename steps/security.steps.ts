import { Then, When } from '@cucumber/cucumber';
import type { ConformanceWorld } from './world.ts';

When('a client without credentials sends an FSPIOP request to the hub', async function (this: ConformanceWorld) {
  await this.posture.sendWithout('credentials');
});

When('a DFSP sends an FSPIOP request without an FSPIOP-Signature', async function (this: ConformanceWorld) {
  await this.posture.sendWithout('signature');
});

Then('the hub accepts it', function (this: ConformanceWorld) {
  return this.record(this.posture.accepted());
});

Then('a participant without a client certificate is refused at the TLS handshake', async function (this: ConformanceWorld) {
  return this.record(await this.posture.mutualTls());
});

Then('the hub refuses it', function (this: ConformanceWorld) {
  return this.record(this.posture.refused());
});

Then('the hub\'s FSPIOP endpoint is served over TLS', async function (this: ConformanceWorld) {
  return this.record(await this.posture.tlsAtEdge());
});

Then('an unauthenticated request to the admin API is refused', async function (this: ConformanceWorld) {
  return this.record(await this.posture.adminApiRefusesAnonymous());
});
