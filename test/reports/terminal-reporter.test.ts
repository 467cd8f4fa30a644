import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { TerminalReporter } from '../../src/reports/terminal-reporter.ts';

const capture = () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  return { out, text: () => text };
};

describe('TerminalReporter progress', () => {
  it('on a terminal, shows the running guarantee and erases it before the next line', () => {
    const { out, text } = capture();
    const reporter = new TerminalReporter(out, false, true);
    reporter.running('CTH-FUN-01', 'P2P golden path', 1500);
    reporter.notice('next');
    assert.equal(text(), '\r\x1b[2K… CTH-FUN-01  P2P golden path  (2 s into the run)\r\x1b[2Knext\n');
  });

  it('writes no progress into a log or a pipe', () => {
    const { out, text } = capture();
    const reporter = new TerminalReporter(out, false, false);
    reporter.running('CTH-FUN-01', 'P2P golden path', 1500);
    reporter.notice('next');
    assert.equal(text(), 'next\n');
  });
});
