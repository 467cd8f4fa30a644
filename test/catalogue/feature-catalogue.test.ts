import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import { readCatalogue } from '../../src/catalogue/feature-catalogue.ts';
import { TIERS } from '../../src/config/schema.ts';
import { ROOT } from '../helpers/cli.ts';

const PREFIX = { 'core-test-harness': 'CTH', miniloop: 'ML', helm: 'HELM', iac: 'IAC' } as const;

/** The seed's headings each tier must state guarantees for. */
const CONCERNS = {
  'core-test-harness': ['deployment', 'resources', 'security', 'functional', 'documentation', 'limitations'],
  miniloop: ['deployment', 'resources', 'security', 'functional', 'documentation', 'limitations'],
  helm: ['deployment', 'resources', 'security', 'functional', 'sla', 'resilience', 'data', 'documentation'],
  iac: ['deployment', 'resources', 'security', 'functional', 'sla', 'resilience', 'data', 'documentation'],
} as const;

describe('feature catalogue', async () => {
  const catalogue = await readCatalogue(join(ROOT, 'features'));

  it('gives every guarantee a unique id prefixed by its tier', () => {
    const ids = catalogue.map((entry) => entry.id);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    for (const entry of catalogue) {
      assert.match(entry.id, new RegExp(`^${PREFIX[entry.tier as keyof typeof PREFIX]}-[A-Z]{2,3}-\\d{2}$`), `${entry.location}`);
    }
  });

  it('states guarantees for every concern of the seed, per tier', () => {
    for (const tier of TIERS) {
      const concerns = new Set(catalogue.filter((e) => e.tier === tier).map((e) => e.concern));
      for (const concern of CONCERNS[tier]) assert.ok(concerns.has(concern), `${tier} has ${concern}`);
    }
  });

  it('marks every SLA guarantee @sla and has SLA guarantees only where the seed promises an SLA', () => {
    for (const entry of catalogue) assert.equal(entry.sla, entry.concern === 'sla', entry.location);
    assert.equal(catalogue.filter((e) => e.sla && (e.tier === 'core-test-harness' || e.tier === 'miniloop')).length, 0);
    for (const tier of ['helm', 'iac']) {
      const sla = catalogue.filter((e) => e.tier === tier && e.sla).map((e) => e.title);
      assert.ok(sla.some((t) => /1000 transfers per second sustained for 1 hour/.test(t)), `${tier} throughput`);
      for (const phase of ['Lookup', 'Agreement of terms', 'Clearing']) assert.ok(sla.some((t) => t.startsWith(`${phase} latency: 99% within 1 second`)), `${tier} ${phase}`);
    }
  });

  it('states in IaC every check of HELM Deploy (IaC is everything of HELM plus more)', async () => {
    const stepsOf = async (tier: string) => {
      const texts = new Set<string>();
      for (const file of await readdir(join(ROOT, 'features', tier))) {
        const source = await readFile(join(ROOT, 'features', tier, file), 'utf8');
        // Same check, own threshold: numbers and quoted values may differ between tiers.
        for (const match of source.matchAll(/^\s*(?:Given|When|Then|And|But) (.+)$/gm)) texts.add(match[1]!.trim().replace(/"[^"]*"/g, '"…"').replace(/\d+(\.\d+)?/g, 'N'));
      }
      return texts;
    };
    const iac = await stepsOf('iac');
    // Resource requirements differ by tier on purpose: HELM fits a small cluster, IaC needs a high-end one.
    const tierSpecific = new Set(['the deployment runs on at most N nodes']);
    assert.deepEqual([...await stepsOf('helm')].filter((step) => !iac.has(step) && !tierSpecific.has(step)), []);
  });

  it('has a step definition for every step of every feature (dry run)', async () => {
    const environment = { cwd: ROOT, stdout: new Writable({ write: (_c, _e, done) => done() }), stderr: process.stderr };
    const { runConfiguration } = await loadConfiguration({ file: false, provided: { paths: ['features'], import: ['steps/**/*.ts'], dryRun: true, format: [] } }, environment);
    const undefinedSteps: string[] = [];
    const pickleSteps = new Map<string, string>();
    await runCucumber(runConfiguration, environment, (envelope: Envelope) => {
      for (const step of envelope.pickle?.steps ?? []) pickleSteps.set(step.id, `${envelope.pickle!.uri}: ${step.text}`);
      for (const step of envelope.testCase?.testSteps ?? []) {
        if (step.pickleStepId && step.stepDefinitionIds?.length === 0) undefinedSteps.push(pickleSteps.get(step.pickleStepId)!);
      }
    });
    assert.deepEqual(undefinedSteps, []);
    assert.ok(pickleSteps.size > 100, 'the dry run saw the steps');
  });
});
