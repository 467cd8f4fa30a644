import { Then, When } from '@cucumber/cucumber';
import type { ConformanceWorld } from './world.ts';

When('a client without credentials sends an FSPIOP request to the hub', async function (this: ConformanceWorld) {
  await this.posture.sendWithout('credentials');
});

Then('the hub accepts it', function (this: ConformanceWorld) {
  return this.record(this.posture.accepted());
});

Then('the hub\'s FSPIOP endpoint is served over TLS and plaintext is refused or redirected', async function (this: ConformanceWorld) {
  // Where the run reads the deployment, the ports it exposes are tried for plaintext too.
  const inventory = this.session.has('kubernetes-inventory') || this.session.has('compose-inventory') ? await this.session.inventory() : undefined;
  return this.record(await this.posture.tlsAtEdge(inventory?.exposedPorts() ?? []));
});

Then('a participant without a client certificate is refused, and one with ours is answered', async function (this: ConformanceWorld) {
  return this.record(await this.posture.mutualTls());
});

Then('a quote request without an FSPIOP-Signature, or signed with a key the hub cannot know, is refused with error 3105', async function (this: ConformanceWorld) {
  return this.record(await this.posture.signaturesEnforced());
});

Then('an unauthenticated request to the admin API is refused', async function (this: ConformanceWorld) {
  return this.record(await this.posture.adminApiRefusesAnonymous());
});

Then('the hub\'s TLS certificate is within its validity period and chains to a trusted root', async function (this: ConformanceWorld) {
  return this.record(await this.posture.certificateValid());
});

Then('TLS 1.0 and TLS 1.1 handshakes are refused', async function (this: ConformanceWorld) {
  return this.record(await this.posture.weakProtocolsRefused());
});

Then('a token for a scope not granted to our DFSP is refused', async function (this: ConformanceWorld) {
  return this.record(await this.posture.wrongScopeRefused());
});
