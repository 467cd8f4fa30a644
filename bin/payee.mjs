#!/usr/bin/env node
import { runMain } from './entry.mjs';

await runMain(new URL('../src/cli/payee.ts', import.meta.url).href);
