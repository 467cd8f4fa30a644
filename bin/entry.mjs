import './require-node-22.mjs';

/**
 * Runs a CLI's `main(argv)` as a process. The defect handlers are registered before the CLI is
 * imported: libraries (winston, via the Mojaloop SDK) install handlers that swallow uncaught
 * errors, and a defect must never end in exit code 0.
 */
export async function runMain(modulePath) {
  const defect = (error) => {
    process.stderr.write(`internal error: ${error?.stack ?? error}\n`);
    process.exit(70);
  };
  process.on('uncaughtException', defect);
  process.on('unhandledRejection', defect);
  try {
    const { main } = await import(modulePath);
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    defect(error);
  }
  // Everything of ours is torn down by now; an interrupted Cucumber run and idle sockets must not keep the process alive.
  process.exit();
}
