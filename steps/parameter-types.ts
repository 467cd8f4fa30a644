import { defineParameterType } from '@cucumber/cucumber';
import { isComponentKind } from '../src/inventory/component-kinds.ts';
import { parseDuration, parseMemoryGiB } from '../src/config/quantities.ts';
import { FSPIOP_AMOUNT_PATTERN } from '../src/fspiop/payloads.ts';

// Thresholds live in the feature text; these types turn the words into numbers.
defineParameterType({ name: 'fspiopErrorCode', regexp: /[1-9]\d{3}/, transformer: (code: string) => code });
defineParameterType({ name: 'fspiopAmount', regexp: new RegExp(FSPIOP_AMOUNT_PATTERN), transformer: (amount: string) => amount });
defineParameterType({ name: 'quoteField', regexp: /amount|currency/, transformer: (field: string) => field });
defineParameterType({ name: 'transferState', regexp: /RECEIVED|RESERVED|COMMITTED|ABORTED/, transformer: (state: string) => state });
defineParameterType({ name: 'throughput', regexp: /\d+(?:\.\d+)? transfers? per second/, transformer: (text: string) => Number.parseFloat(text) });
defineParameterType({ name: 'duration', regexp: /\d+(?:\.\d+)? (?:hours?|minutes?|seconds?|ms|days?)/, transformer: parseDuration });
defineParameterType({ name: 'latency', regexp: /\d+(?:\.\d+)? (?:seconds?|ms)/, transformer: parseDuration });
defineParameterType({ name: 'percentage', regexp: /\d+(?:\.\d+)?%/, transformer: (text: string) => Number.parseFloat(text) });
defineParameterType({ name: 'memory', regexp: /\d+(?:\.\d+)? GiB/, transformer: parseMemoryGiB });
defineParameterType({ name: 'phase', regexp: /lookups|quotes|transfers/, transformer: (phase: string) => phase });
defineParameterType({
  name: 'componentKind',
  regexp: /gateway|ingress|egress|IAM|control-centre|monitoring|portals|PM4ML/,
  transformer: (kind: string) => {
    if (!isComponentKind(kind)) throw new Error(`"${kind}" is no component kind`);
    return kind;
  },
});
