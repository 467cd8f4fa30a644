import { AllureReporter } from './allure-reporter.ts';
import { AttestationReporter } from './attestation-reporter.ts';
import { HtmlReporter } from './html-reporter.ts';
import { JunitReporter } from './junit-reporter.ts';
import { LatestRunPublisher } from './latest-run-publisher.ts';
import type { Reporter } from './reporter.ts';
import { ResultJsonReporter } from './result-json-reporter.ts';
import { SummaryMarkdownReporter } from './summary-markdown-reporter.ts';
import type { TerminalReporter } from './terminal-reporter.ts';

/**
 * Every output of a run, in the order the run calls them: a reporter sees the files the ones
 * before it wrote (the in-toto statement over their digests comes after them), `reports/latest`
 * is published once the run's folder is complete, and the terminal comes last, naming them all.
 * A new output is one line here.
 */
export function runReporters(terminal: TerminalReporter): Reporter[] {
  return [
    new ResultJsonReporter(),
    new AllureReporter(),
    new JunitReporter(),
    new SummaryMarkdownReporter(),
    new HtmlReporter(),
    new AttestationReporter(),
    new LatestRunPublisher(),
    terminal,
  ];
}
