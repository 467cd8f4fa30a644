import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, UserError } from '../config/errors.ts';
import { loadConfig } from '../config/load-config.ts';
import { httpUrlProblem } from '../config/schema.ts';
import { startSimulatedPayee } from '../environment/embedded/reference-deployment.ts';
import { redactUrl } from '../support/url.ts';
import { shown } from './args.ts';
import { onInterrupt } from './signals.ts';

const HELP = `Usage: npm run payee -- --hub-url URL [--port N] [--host H] [--config FILE]

Starts the simulated payee DFSP on its own (the reference harness's simulator service), talking
to a hub at --hub-url: it answers lookups, quotes and transfers for the parties of the onboarding
fixture (fixtures/hub/onboarding.yaml), as the payee of npm run hub does. The hub must know where
it listens: register its callback endpoints through the hub's admin API (in fixtures/harness, the
ttk-provisioning job does).

  --hub-url URL   the hub's FSPIOP API, where the payee sends its answers
  --port N        port to listen on (default 8444, the port of Mojaloop's simulator)
  --host H        address to listen on (default 127.0.0.1)
  --config FILE   the same config file as the conformance run (participants.payee, parties)
`;

const PORT = /^\d{1,5}$/;

/** `npm run payee`. Resolves with the exit code once stopped by a signal. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: { hubUrl: string; host: string; port: number; config: Awaited<ReturnType<typeof loadConfig>> };
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { 'hub-url': { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const hubUrl = values['hub-url'];
    if (!hubUrl) throw new UsageError('--hub-url is required: the hub\'s FSPIOP API, e.g. --hub-url http://ml-api-adapter:3000');
    const problem = httpUrlProblem(hubUrl);
    if (problem) throw new UsageError(`--hub-url ${problem}`);
    const port = values.port ?? '8444';
    if (!(PORT.test(port) && Number(port) <= 65535)) throw new UsageError(`--port ${shown(port)} is not a port number (0-65535)`);
    const cwd = process.env.INIT_CWD ?? process.cwd();
    const config = await loadConfig({ file: values.config && resolve(cwd, values.config) });
    options = { hubUrl, host: values.host ?? '127.0.0.1', port: Number(port), config };
  } catch (error) {
    if (error instanceof UserError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error: ${(error as Error).message.split('\n')[0]}\n`);
      return 2;
    }
    throw error;
  }
  let payee: Awaited<ReturnType<typeof startSimulatedPayee>>;
  try {
    payee = await startSimulatedPayee(options.config, options);
  } catch (error) {
    process.stderr.write(`error: the simulated payee cannot start: ${(error as Error).message}\n`);
    return 4;
  }
  process.stdout.write(`simulated payee DFSP ${payee.fspId} listening on ${payee.url}, answering through the hub at ${redactUrl(options.hubUrl)}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    onInterrupt(resolve, (again) => {
      process.stderr.write(`${again} again: exiting without finishing the shutdown\n`);
      process.exit(130);
    });
  });
  process.stdout.write(`${signal}: stopping the simulated payee…\n`);
  await payee.stop();
  return 0;
}
