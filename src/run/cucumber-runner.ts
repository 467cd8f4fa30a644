import { Writable } from 'node:stream';
import { loadConfiguration, loadSupport, runCucumber, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import type { ScenarioCollector } from './scenario-collector.ts';

export interface FeatureRunOptions {
  cwd: string;
  /** Feature files or folders. */
  paths: string[];
  /** Step definitions and support code. */
  imports: string[];
  /** Cucumber tag expression to select scenarios. */
  tags?: string;
  allureResultsDir: string;
  collector: ScenarioCollector;
  /** Handed to every scenario's World (cloned, so plain data only). */
  worldParameters: Record<string, string>;
}

/**
 * Runs the features in this process through Cucumber's programmatic API. Cucumber's own console
 * output is discarded — the run prints verdicts — while its message stream feeds the collector and
 * the Allure reporter writes its results.
 */
export async function runFeatures(options: FeatureRunOptions): Promise<{ success: boolean }> {
  const environment = { cwd: options.cwd, stdout: discard(), stderr: process.stderr, env: process.env };
  const { runConfiguration } = await loadConfiguration({
    file: false,
    provided: {
      paths: options.paths,
      import: options.imports,
      tags: options.tags ?? '',
      format: [['allure-cucumberjs/reporter', `${options.allureResultsDir}/.allure-cucumber.log`]],
      formatOptions: { resultsDir: options.allureResultsDir },
      strict: true,
      worldParameters: options.worldParameters,
    },
  }, environment);
  // Step definitions register themselves when first imported; a later run in the same process
  // (library use, tests) must reuse that library or it would find no steps at all. It holds code
  // only — each run reaches its own resources through its world parameters.
  supportLibrary ??= loadSupport(runConfiguration, environment);
  const support = await supportLibrary;
  return runCucumber({ ...runConfiguration, support }, environment, (envelope) => options.collector.consume(envelope));
}

let supportLibrary: Promise<ISupportCodeLibrary> | undefined;

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
