/** FSPIOP amounts carry at most 4 decimals: the ledger counts in 1/10 000 of a currency unit, exactly. */
const SCALE = 4;
const UNITS_PER_WHOLE = 10n ** BigInt(SCALE);
/** SQLite integers are 64-bit signed: amounts and positions stay below this many units. */
export const MAX_LEDGER_UNITS = 2n ** 63n - 1n;
/**
 * The largest amount the hub books (FSPIOP allows 18 integer digits; 64-bit units do not): a
 * hundred trillion, with room for positions that sum many of them.
 */
export const MAX_AMOUNT = '100000000000000';

/** Whether the ledger can book this FSPIOP amount. */
export function bookable(amount: string): boolean {
  return toUnits(amount) <= toUnits(MAX_AMOUNT);
}

/** "12.5" → 125000n. The caller has checked the FSPIOP amount pattern; anything else is a defect. */
export function toUnits(amount: string): bigint {
  const match = /^(-)?(\d+)(?:\.(\d{1,4}))?$/.exec(amount);
  if (!match) throw new Error(`"${amount}" is not a decimal amount with at most ${SCALE} decimals`);
  const units = BigInt(match[2]!) * UNITS_PER_WHOLE + BigInt((match[3] ?? '').padEnd(SCALE, '0'));
  return match[1] ? -units : units;
}

/** 125000n → "12.5": the shortest FSPIOP form, no trailing zeros. */
export function fromUnits(units: bigint): string {
  const sign = units < 0n ? '-' : '';
  const magnitude = units < 0n ? -units : units;
  const whole = magnitude / UNITS_PER_WHOLE;
  const fraction = (magnitude % UNITS_PER_WHOLE).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}
