import { parseArgs } from 'node:util';
import { UsageError, UserError } from '../config/errors.ts';
import { loadConfig } from '../config/load-config.ts';
import { DEFAULT_URL_CALLBACK_PORT, httpUrlProblem } from '../config/schema.ts';
import { ReferenceDeployment } from '../environment/embedded/reference-deployment.ts';
import { redactUrl } from '../support/url.ts';
import { shown } from './args.ts';
import { onInterrupt } from './signals.ts';

const HELP = `Usage: npm run hub -- [--port N] [--host H] [--payer-callback-url URL] [--config FILE]

Starts the reference hub and its simulated payee DFSP until Ctrl-C, so that a conformance run
can attach to it as a "url" target:

  npm run conformance -- --target url --hub-url <the URL printed below>

  --port N                 hub port (default: any free port)
  --host H                 address to listen on (default 127.0.0.1)
  --payer-callback-url URL where the hub delivers the payer DFSP's callbacks
                           (default http://127.0.0.1:${DEFAULT_URL_CALLBACK_PORT}, where a url-target run listens)
  --config FILE            the same config file as the conformance run (participants, parties)
`;

/** `npm run hub`. Resolves with the exit code once stopped by a signal. */
export async function main(argv: readonly string[]): Promise<number> {
  let deployment: ReferenceDeployment;
  let payerEndpoint: string;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { port: { type: 'string' }, host: { type: 'string' }, 'payer-callback-url': { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (values.port !== undefined && !(/^\d{1,5}$/.test(values.port) && Number(values.port) <= 65535)) {
      throw new UsageError(`--port ${shown(values.port)} is not a port number (0-65535)`);
    }
    const config = await loadConfig({ file: values.config });
    payerEndpoint = values['payer-callback-url'] ?? `http://127.0.0.1:${DEFAULT_URL_CALLBACK_PORT}`;
    const problem = httpUrlProblem(payerEndpoint);
    if (problem) throw new UsageError(`--payer-callback-url ${problem}`);
    deployment = new ReferenceDeployment(config, { host: values.host ?? '127.0.0.1', hubPort: Number(values.port ?? 0), payerEndpoint });
  } catch (error) {
    if (error instanceof UserError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error: ${(error as Error).message.split('\n')[0]}\n`);
      return 2;
    }
    throw error;
  }
  let urls: { hubUrl: string; payeeUrl: string };
  try {
    urls = await deployment.start();
  } catch (error) {
    process.stderr.write(`error: the hub cannot start: ${(error as Error).message}\n`);
    return 4;
  }
  process.stdout.write(`reference hub (FSPIOP v1.1) listening on ${urls.hubUrl}\n`
    + `  simulated payee DFSP: ${urls.payeeUrl}\n`
    + `  payer DFSP callbacks go to: ${redactUrl(payerEndpoint)}\n`
    + `  its payee answering with a wrong fulfilment: ${deployment.invalidFulfilmentParty.type}/${deployment.invalidFulfilmentParty.id}\n`
    + `attach a run with: npm run conformance -- --target url --hub-url ${urls.hubUrl}\n`
    + `  (to evaluate "a wrong fulfilment never commits", name that party in the run's config: parties.invalidFulfilment)\n`);
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
