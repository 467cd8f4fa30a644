#!/usr/bin/env node
import './require-node-22.mjs';

const { main } = await import('../src/hub/standalone.ts');
process.exitCode = await main(process.argv.slice(2));
process.exit();
