const UNIT_MS: Record<string, number> = { ms: 1, second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** "1 hour", "30 seconds", "500 ms", "7 days" → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?) (ms|second|minute|hour|day)s?$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration such as "1 hour", "30 seconds" or "500 ms"`);
  return Number.parseFloat(match[1]!) * UNIT_MS[match[2]!]!;
}

/** "8 GiB" → 8. */
export function parseMemoryGiB(text: string): number {
  const match = /^(\d+(?:\.\d+)?) GiB$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a memory size such as "8 GiB"`);
  return Number.parseFloat(match[1]!);
}
