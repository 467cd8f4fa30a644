/** FSPIOP amounts are decimal strings: "100" and "100.0" are the same amount. (No imports: the k6 scripts bundle it.) */
export function sameAmount(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const canonical = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  return canonical(a) === canonical(b);
}
