import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareDataDir } from '../config/data-dir.ts';
import { UsageError, UserError } from '../config/errors.ts';
import { parseFaultOptions } from '../config/fault-options.ts';
import { mysqlLedgerUrlProblem } from '../config/ledger-url.ts';
import { loadConfig } from '../config/load-config.ts';
import { DEFAULT_URL_CALLBACK_PORT, FSPIOP_VERSIONS, HUB_SECURITY_LEVELS, httpUrlProblem, type ConfigInput } from '../config/schema.ts';
import type { FspiopVersion } from '../fspiop/headers.ts';
import { issueDeploymentSecurity, writeIssuedCredentials } from '../environment/embedded/deployment-security.ts';
import { ReferenceDeployment, type DeploymentUrls } from '../environment/embedded/reference-deployment.ts';
import { redactUrl } from '../support/url.ts';
import { shown } from './args.ts';
import { onInterrupt } from './signals.ts';

const HELP = `Usage: npm run hub -- [--port N] [--admin-port N] [--host H] [--payer-callback-url URL]
                      [--fspiop-version 1.1|2.0] [--data-dir DIR | --ledger mysql://…] [--external-payee]
                      [--security none|full [--credentials-dir DIR]]
                      [--fault NAME[=VALUE] ...] [--config FILE]

Starts the reference hub, its admin API and its simulated payee DFSP until Ctrl-C, so that a
conformance run can attach to it as a "url" target:

  npm run conformance -- --target url --hub-url <the URL printed below>

  --port N                 hub port (default: any free port)
  --admin-port N           admin API port, central-ledger's shape (default: any free port)
  --host H                 address to listen on (default 127.0.0.1)
  --payer-callback-url URL where the hub delivers the payer DFSP's callbacks
                           (default http://127.0.0.1:${DEFAULT_URL_CALLBACK_PORT}, where a url-target run listens)
  --fspiop-version V       the version the hub writes its own callbacks in (errors, expiries, GET
                           answers): 1.1 (default) or 2.0, current Mojaloop's default
                           (config: embedded.fspiopVersion)
  --data-dir DIR           keep the ledger in DIR (SQLite): a restarted hub carries on where it
                           stopped, even after kill -9 (default: in memory)
  --ledger URL             keep the ledger in MySQL/MariaDB, as central-ledger does:
                           mysql://USER:PASSWORD@HOST:PORT/DATABASE (tables refhub_*, created
                           when missing); while the database is unreachable the hub answers 2001
                           and carries on, and it recovers when the database is back
  --external-payee         run no simulated payee DFSP here: one runs elsewhere (npm run payee; the
                           harness's simulator service) and a provisioning job registers its
                           callback endpoints through the admin API (fixtures/harness)
  --security none|full     full: served as an IaC hub is — TLS 1.2+ with client certificates on the
                           FSPIOP API, OAuth2 bearer tokens from its own token endpoint, JWS verified
                           on every POST/PUT and signed on its own callbacks, an admin API closed to
                           anonymous calls; a CA and every credential made at start (default none)
  --credentials-dir DIR    with --security full: where the payer DFSP's credentials (PEMs, client id
                           and secret) and the operator's admin client are written, files 0600
                           (default: a new folder under the system's temporary directory)
  --fault NAME[=VALUE]     misbehave on purpose (see npm run conformance -- --help)
  --config FILE            the same config file as the conformance run (participants, parties)
`;

const PORT = /^\d{1,5}$/;

/** `npm run hub`. Resolves with the exit code once stopped by a signal. */
export async function main(argv: readonly string[]): Promise<number> {
  let deployment: ReferenceDeployment;
  let payerEndpoint: string;
  let config: Awaited<ReturnType<typeof loadConfig>>;
  let security: Awaited<ReturnType<typeof issueDeploymentSecurity>> | undefined;
  let credentialsDir: string | undefined;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' }, 'admin-port': { type: 'string' }, host: { type: 'string' }, 'payer-callback-url': { type: 'string' },
        'data-dir': { type: 'string' }, 'external-payee': { type: 'boolean' }, ledger: { type: 'string' }, 'fspiop-version': { type: 'string' }, security: { type: 'string' }, 'credentials-dir': { type: 'string' }, fault: { type: 'string', multiple: true }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    for (const flag of ['port', 'admin-port'] as const) {
      const value = values[flag];
      if (value !== undefined && !(PORT.test(value) && Number(value) <= 65535)) throw new UsageError(`--${flag} ${shown(value)} is not a port number (0-65535)`);
    }
    const version = values['fspiop-version'];
    if (version !== undefined && !(FSPIOP_VERSIONS as readonly string[]).includes(version)) {
      throw new UsageError(`--fspiop-version ${shown(version)} is not a version this hub speaks (${FSPIOP_VERSIONS.join(', ')})`);
    }
    const level = values.security ?? 'none';
    if (!(HUB_SECURITY_LEVELS as readonly string[]).includes(level)) throw new UsageError(`--security ${shown(level)} is not one of: ${HUB_SECURITY_LEVELS.join(', ')}`);
    if (values['credentials-dir'] !== undefined && level !== 'full') throw new UsageError('--credentials-dir is where --security full writes the credentials it issues: give --security full too, or leave it out');
    const ledgerUrl = values.ledger;
    if (ledgerUrl !== undefined) {
      // The URL carries a password: the message says what is wrong, never the URL itself.
      const problem = mysqlLedgerUrlProblem(ledgerUrl);
      if (problem) throw new UsageError(`--ledger ${problem}`);
      if (values['data-dir']) throw new UsageError('--ledger and --data-dir both say where the ledger is: give one (--data-dir keeps it in SQLite, --ledger in MySQL)');
    }
    const embedded: ConfigInput['embedded'] = {
      ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
      ...(version ? { fspiopVersion: version as FspiopVersion } : {}),
      ...(values.fault ? { faults: parseFaultOptions(values.fault) } : {}),
    };
    // npm runs scripts from the package root; paths the user typed are relative to where they typed them.
    const cwd = process.env.INIT_CWD ?? process.cwd();
    // This command runs the embedded hub, whatever target the config file names for its runs.
    config = await loadConfig({ file: values.config && resolve(cwd, values.config), overrides: { target: 'embedded', embedded } });
    if (config.target === 'embedded' && config.embedded.dataDir) {
      config.embedded.dataDir = resolve(cwd, config.embedded.dataDir);
      await prepareDataDir(config.embedded.dataDir, values['data-dir'] ? '--data-dir' : 'embedded.dataDir');
    }
    payerEndpoint = values['payer-callback-url'] ?? `http://127.0.0.1:${DEFAULT_URL_CALLBACK_PORT}`;
    const problem = httpUrlProblem(payerEndpoint);
    if (problem) throw new UsageError(`--payer-callback-url ${problem}`);
    if (level === 'full') {
      security = await issueDeploymentSecurity(config);
      credentialsDir = values['credentials-dir'] && resolve(cwd, values['credentials-dir']);
    }
    deployment = new ReferenceDeployment(config, {
      host: values.host ?? '127.0.0.1', hubPort: Number(values.port ?? 0), adminPort: Number(values['admin-port'] ?? 0), payerEndpoint,
      externalPayee: values['external-payee'] ?? false, ...(ledgerUrl ? { ledgerUrl } : {}), ...(security ? { security } : {}),
    });
  } catch (error) {
    if (error instanceof UserError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error: ${(error as Error).message.split('\n')[0]}\n`);
      return 2;
    }
    throw error;
  }
  let urls: DeploymentUrls;
  try {
    urls = await deployment.start();
  } catch (error) {
    process.stderr.write(`error: the hub cannot start: ${(error as Error).message}\n`);
    return 4;
  }
  let secured = '';
  if (security && urls.tokenUrl) {
    let written: Awaited<ReturnType<typeof writeIssuedCredentials>>;
    try {
      written = await writeIssuedCredentials(security, config, urls.tokenUrl, credentialsDir);
    } catch (error) {
      await deployment.stop();
      process.stderr.write(`error: the credentials cannot be written to ${credentialsDir ?? 'a temporary folder'}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
      return 4;
    }
    const width = Math.max(...written.files.map((file) => file.name.length));
    secured = 'FULLY SECURED: TLS 1.2+ with client certificates (FSPIOP API), OAuth2 bearer tokens, JWS on POST/PUT, admin API closed to anonymous calls\n'
      + `  token endpoint (client credentials; scopes fspiop, admin): ${urls.tokenUrl}\n`
      + `  credentials issued to ${config.participants.payer.fspId} and the operator, written to ${written.dir} (files 0600):\n`
      + written.files.map((file) => `    ${file.name.padEnd(width)}  ${file.holds}\n`).join('')
      + `  the payer's callback server must serve https with payer-cert.pem and may demand the hub's client certificate (ca.pem);\n`
      + `  the hub knows only ${Object.keys(security.dfsps).join(', ')}: attach without provisioning (no --hub-admin-url), as ${config.participants.payer.fspId}\n`;
  }
  const faults = deployment.hub.faults.active;
  const version = deployment.hub.fspiopVersion;
  process.stdout.write(`reference hub (its own callbacks in FSPIOP v${version}) listening on ${urls.hubUrl}\n`
    + `  admin API (central-ledger's shape): ${urls.adminUrl}\n`
    + `  ledger: ${deployment.hub.store.description}\n`
    + (urls.payeeUrl
      ? `  its own simulated payee DFSP (${deployment.payee.fspId}): ${urls.payeeUrl}\n`
      : '  no simulated payee DFSP here (--external-payee): register its callback endpoints through the admin API\n')
    + `  its own payer DFSP's callbacks go to: ${redactUrl(payerEndpoint)} (for a run attached with provisioning off)\n`
    + secured
    + (faults.length > 0 ? `  FAULTS INJECTED: ${faults.join(', ')}\n` : '')
    + (security
      // Provisioned DFSPs would hold no credentials the hub knows: a secured hub is attached to as its own payer.
      ? `attach a run to it as ${config.participants.payer.fspId} (no provisioning), presenting the credentials above (docs/security.md):\n`
        + `  npm run conformance -- --target url --hub-url ${urls.hubUrl} --callback-port ${DEFAULT_URL_CALLBACK_PORT}\n`
      : 'attach a run to it — the run provisions test DFSPs of its own through the admin API (its payer\'s\n'
        + `callbacks on port ${DEFAULT_URL_CALLBACK_PORT}, its payee on ${DEFAULT_URL_CALLBACK_PORT + 1}) and evaluates every functional guarantee:\n`
        + `  npm run conformance -- --target url --hub-url ${urls.hubUrl} --hub-admin-url ${urls.adminUrl} --callback-port ${DEFAULT_URL_CALLBACK_PORT}\n`
        + 'or the same as a config file (--config FILE):\n'
        + `  target: url\n  hub:\n    url: ${urls.hubUrl}\n    adminUrl: ${urls.adminUrl}\n  callback:\n    port: ${DEFAULT_URL_CALLBACK_PORT}\n`));
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    onInterrupt(resolve, (again) => {
      process.stderr.write(`${again} again: exiting without finishing the shutdown\n`);
      process.exit(130);
    });
  });
  process.stdout.write(`${signal}: stopping the hub…\n`);
  await deployment.stop();
  return 0;
}
