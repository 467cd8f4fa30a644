// Run as a child process (its own descriptor limit, its own memory): the builtin runner offers
// RATE P2P transfers/s for SECONDS against a stub hub that stops answering for STALL_MS once it
// has taken STALL_AFTER_REQUESTS requests (so transfers completed before the stall however slow
// the machine). Prints one JSON line: the summary's figures, the SLA finding, the run's
// diagnosis, and the peaks of open descriptors and RSS sampled while the load ran.
import { validateConfig } from '../../src/config/load-config.ts';
import { CallbackServer } from '../../src/fspiop/callback-server.ts';
import { loadFspiopSpecification } from '../../src/fspiop/spec-validation.ts';
import { StubHub } from '../../src/hub/stub-hub.ts';
import { createLoadRunner } from '../../src/load/create-load-runner.ts';
import { SlaProbe } from '../../src/probes/sla-probe.ts';
import { diagnoseLoads } from '../../src/reports/diagnosis.ts';
import { descriptorLimit, openDescriptors } from '../../src/support/descriptor-limit.ts';

const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const rate = number('RATE', 1000);
const seconds = number('SECONDS', 12);
const stallAfterRequests = number('STALL_AFTER_REQUESTS', 600);
const stallMs = number('STALL_MS', 5000);

const config = validateConfig({ timeouts: { callbackMs: 10_000, requestMs: 10_000 } });
const { payer, payee } = config.participants;
const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65_536, addressing: { dfsps: [payer.fspId], senders: ['Hub', payee.fspId] } });
await callbacks.start();
const hub = new StubHub({ payerCallbackUrl: callbacks.url, payeeFsp: payee.fspId });
const hubUrl = await hub.start();
const runner = createLoadRunner({ kind: 'builtin', note: '' }, { config, hubUrl, callbacks, channel: undefined, spec: await loadFspiopSpecification() });

let peakDescriptors = openDescriptors() ?? -1;
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakDescriptors = Math.max(peakDescriptors, openDescriptors() ?? -1);
  // Reading RSS opens /proc/self/stat: out of descriptors it throws, which must not end the load.
  try {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  } catch {
    // counted by the descriptor peak
  }
}, 250);
const stall = setInterval(() => {
  if (hub.requests < stallAfterRequests) return;
  hub.stall(stallMs);
  clearInterval(stall);
}, 20);

const summary = await runner.run({ flow: 'p2p', profile: 'stall test', ratePerSecond: rate, durationMs: seconds * 1000, warmupMs: 1000, drainMs: 1000, intervalMs: 1000 });
clearInterval(sampler);
clearInterval(stall);
const throughput = new SlaProbe(summary).throughputAtLeast(rate, 1000);
process.stdout.write(`${JSON.stringify({
  limit: descriptorLimit(),
  peakDescriptors,
  peakRssMiB: Math.round(peakRss / 2 ** 20),
  summary: { ...summary, series: summary.series, iterations: { ...summary.iterations, completedBelowMs: [] }, phases: undefined, committedSample: summary.committedSample.length },
  throughput,
  diagnosis: diagnoseLoads([summary]),
})}\n`);
await callbacks.stop();
await hub.stop();
