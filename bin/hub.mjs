#!/usr/bin/env node
import { runMain } from './entry.mjs';

await runMain(new URL('../src/hub/standalone.ts', import.meta.url).href);
