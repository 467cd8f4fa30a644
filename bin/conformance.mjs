#!/usr/bin/env node
import './require-node-22.mjs';

const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
// Cucumber may still hold an interrupted scenario, and fetch keeps idle sockets: everything of ours is torn down, so leave now.
process.exit();
