#!/usr/bin/env node
import './require-node-22.mjs';

// Registered before anything is imported: libraries (winston, via the Mojaloop SDK) install
// handlers that swallow uncaught errors, and a defect must never end in exit code 0.
const defect = (error) => {
  process.stderr.write(`internal error: ${error?.stack ?? error}\n`);
  process.exit(70);
};
process.on('uncaughtException', defect);
process.on('unhandledRejection', defect);

try {
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  defect(error);
}
// Everything of ours is torn down by now; an interrupted Cucumber run and idle sockets must not keep the process alive.
process.exit();
