import type { CallbackStats } from '../fspiop/callback-server.ts';
import type { ExchangeTrouble } from '../fspiop/exchange-log.ts';
import { redactUrl } from '../support/url.ts';

export interface DiagnosisInput {
  trouble: ExchangeTrouble;
  callbacks: CallbackStats | null;
  /** Where the hub was told to call back. */
  callbackUrl: string | undefined;
  hubUrl: string | undefined;
  payerFspId: string;
}

/**
 * What went wrong with the run as a whole, said once, with the likely cause and what to check —
 * rather than the same symptom repeated in every verdict. Empty when nothing run-wide went wrong.
 */
export function diagnose({ trouble, callbacks, callbackUrl, hubUrl, payerFspId }: DiagnosisInput): string[] {
  const lines: string[] = [];
  const hub = hubUrl ? redactUrl(hubUrl) : 'the hub';
  const received = callbacks ? callbacks.accepted + callbacks.late : 0;
  if (callbacks && trouble.acknowledged > 0 && received === 0) {
    const { forged, oversized } = callbacks.rejected;
    const refused = Object.values(callbacks.rejected).reduce((sum, count) => sum + count, 0);
    lines.push(forged > 0
      ? `No callback was accepted: ${forged} arrived but were rejected as forged (${callbacks.examples.forged}). If they came from the hub, add its FSPIOP-Source to hub.sourceIds; the payer's FSP id is "${payerFspId}".`
      : oversized > 0
        ? `No callback was accepted: ${oversized} arrived but were larger than callback.maxBodyBytes (${callbacks.examples.oversized}). The fault is this run's configuration, not the hub's: raise callback.maxBodyBytes (default 65536).`
        : refused > 0
          ? `No callback was accepted: ${refused} arrived but our callback server refused them (${Object.entries(callbacks.examples).filter(([reason]) => reason !== 'duplicate').map(([reason, example]) => `${reason}: ${example}`).join('; ')}).`
          : `No callback arrived at all: the hub acknowledged ${trouble.acknowledged} request${plural(trouble.acknowledged)} with 202 but never called back on ${callbackUrl ? redactUrl(callbackUrl) : 'the callback server'}. `
        + `Likely the hub cannot reach this machine, or sends the callbacks of "${payerFspId}" elsewhere: check the hub's callback endpoints for "${payerFspId}" point at that URL `
        + '(--callback-public-url when the hub reaches this machine under another address) and that its port is open to the hub.');
  }
  if (callbacks && callbacks.duplicate > 0) {
    lines.push(`${callbacks.duplicate} callback${plural(callbacks.duplicate)} answered requests that were already answered (e.g. ${callbacks.examples.duplicate}). `
      + 'A hub may resend, but another sender copying the hub\'s headers looks the same: without signatures and mutual TLS this run cannot tell which answer was the hub\'s. '
      + 'Check who else can reach the callback port, and trust these verdicts only if the hub resends on purpose.');
  }
  if (trouble.notFspiop) {
    lines.push(`${trouble.notFspiop.count} of ${trouble.sent} requests were not answered like an FSPIOP hub answers (e.g. ${trouble.notFspiop.example}). `
      + `Is ${hub} the hub's FSPIOP endpoint? Point --hub-url at the FSPIOP API (ml-api-adapter, account-lookup, quoting, or the gateway in front of them), not another service.`);
  }
  if (trouble.unanswered) {
    const { count, firstAt, example } = trouble.unanswered;
    lines.push(`${hub} stopped answering: ${count} request${plural(count)} got no HTTP answer from ${firstAt} on (${example}). `
      + 'The guarantees measured from then on failed because the hub was unreachable; check that it is still running and reachable, then run again.');
  }
  return lines;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
