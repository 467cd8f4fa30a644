import { Then, When } from '@cucumber/cucumber';
import { issueCertificate } from '../src/verdict/certificate.ts';
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

Then('the hub refuses it', async function (this: ConformanceWorld) {
  await this.record(this.posture.refused());
});

Then('the hub\'s FSPIOP endpoint is served over TLS', async function (this: ConformanceWorld) {
  await this.record(await this.posture.tlsAtEdge());
});

Then('an unauthenticated request to the admin API is refused', async function (this: ConformanceWorld) {
  await this.record(await this.posture.adminApiRefusesAnonymous());
});

Then('a certificate of this tier vouches for development and testing only', async function (this: ConformanceWorld) {
  const { tier, profile } = this.session.config;
  const { scope } = issueCertificate(tier, profile, []);
  await this.record([{ name: 'certificate scope', value: scope, threshold: '= development and testing only', ok: scope === 'development and testing only', source: 'certificate rules (src/verdict/certificate.ts)' }]);
});
