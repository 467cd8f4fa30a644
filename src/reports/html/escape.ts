/**
 * Text and attribute values made inert in HTML and SVG: every string the report shows (guarantee
 * names, evidence, reasons, hub answers) comes from the run, and a hub under test can put anything
 * in what it answers.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
