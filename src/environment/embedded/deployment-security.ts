import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConformanceConfig } from '../../config/schema.ts';
import { issuedAdminCredentials, issuedDfspCredentials, issueHubSecurity, type HubSecurityMaterial } from '../../hub/hub-credentials.ts';
import { hubSourceIds } from './reference-deployment.ts';

/**
 * The secured reference deployment's CA and every credential, for the config's payer, payee and
 * bystander DFSPs. The bystander holds the payer's: both are ours and send through one transport.
 */
export function issueDeploymentSecurity(config: ConformanceConfig): Promise<HubSecurityMaterial> {
  const { payer, payee, bystander } = config.participants;
  return issueHubSecurity([payer.fspId, payee.fspId, bystander.fspId], {
    sameAs: bystander.fspId === payer.fspId ? {} : { [bystander.fspId]: payer.fspId },
  });
}

/** One file written for a run attached to the secured hub, and what it holds (never its content). */
export interface CredentialFile {
  name: string;
  holds: string;
}

/**
 * Writes what the secured hub issued our payer DFSP (and the operator's admin client) to `dir`,
 * one PEM or secret per file, readable by the owner only (0600, the folder 0700), so that a run
 * attached to it as a url target can present them. Without `dir`, a fresh folder under the
 * system's temporary directory. Returns the folder and the files, for the caller to list.
 */
export async function writeIssuedCredentials(material: HubSecurityMaterial, config: ConformanceConfig, tokenUrl: string, dir?: string): Promise<{ dir: string; files: CredentialFile[] }> {
  const folder = dir ?? await mkdtemp(join(tmpdir(), 'conformance-hub-credentials-'));
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await chmod(folder, 0o700);
  const { payer, payee } = config.participants;
  const issued = issuedDfspCredentials(material, payer.fspId, tokenUrl, hubSourceIds(config));
  const admin = issuedAdminCredentials(material, tokenUrl);
  const entries: Array<[string, string, string]> = [
    ['ca.pem', material.caPem, 'the CA the hub\'s certificate chains to (and ours)'],
    ['payer-cert.pem', issued.tls!.certPem, `${payer.fspId}'s client certificate (also its callback server's)`],
    ['payer-key.pem', issued.tls!.keyPem, `${payer.fspId}'s TLS private key`],
    ['payer-jws-key.pem', issued.jws!.privateKeyPem, `${payer.fspId}'s JWS signing key (RS256)`],
    ['payee-jws-public.pem', issued.jws!.verificationKeys[payee.fspId]!, `${payee.fspId}'s JWS public key`],
    ['hub-jws-public.pem', material.hubJws.publicKeyPem, `the hub's JWS public key (its own callbacks, FSPIOP-Source ${hubSourceIds(config).join(' or ')})`],
    ['client-id', issued.oauth2!.clientId, `${payer.fspId}'s OAuth2 client id (scope fspiop)`],
    ['client-secret', issued.oauth2!.clientSecret, `${payer.fspId}'s OAuth2 client secret`],
    ['admin-client-id', admin.oauth2.clientId, 'the operator\'s OAuth2 client id (scope admin)'],
    ['admin-client-secret', admin.oauth2.clientSecret, 'the operator\'s OAuth2 client secret'],
    ['token-url', tokenUrl, 'the token endpoint'],
  ];
  for (const [name, content] of entries) {
    await writeFile(join(folder, name), content, { mode: 0o600 });
    // A file that was there already keeps its mode through writeFile.
    await chmod(join(folder, name), 0o600);
  }
  return { dir: folder, files: entries.map(([name, , holds]) => ({ name, holds })) };
}
