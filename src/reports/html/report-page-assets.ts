/**
 * The page's only style and script, inlined: the file opens from disk with no network. The script
 * does one thing, filtering the verdict table; with scripts off the filters stay hidden and the
 * whole table shows.
 */

/** Only what is inside the file: a later edit that adds a link to another host is refused by the browser itself. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; form-action 'none'";

export const REPORT_STYLE = `
:root { --pass: #1a7f37; --fail: #c62828; --reduced: #b45309; --not-evaluated: #57606a; --ink: #1f2328; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 16px 24px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); }
h1 { font-size: 20px; margin: 0 0 12px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 16px; margin: 20px 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--soft); } caption { text-align: left; font-weight: 600; padding: 4px 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, .source { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; overflow-wrap: anywhere; }
.banner { border: 3px solid var(--not-evaluated); border-radius: 8px; padding: 14px 18px; margin-bottom: 16px; background: #f6f8fa; }
.banner.status-CERTIFIED { border-color: var(--pass); background: #eef8f0; }
.banner.status-NOT_CERTIFIED { border-color: var(--fail); background: #fdeeee; }
.banner.status-INCOMPLETE { border-color: var(--reduced); background: #fff7e6; }
.banner .status { font-size: 26px; font-weight: 800; letter-spacing: .02em; margin: 0; }
.banner .statement { font-size: 15px; margin: 6px 0 10px; }
.banner dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
.banner dt { font-weight: 600; } .banner dd { margin: 0; overflow-wrap: anywhere; }
.alert { border: 3px solid var(--fail); background: #fdeeee; color: #7f1d1d; font-weight: 700; font-size: 16px; padding: 10px 14px; border-radius: 6px; margin: 10px 0; }
.warning { border: 2px solid var(--reduced); background: #fff7e6; padding: 8px 12px; border-radius: 6px; margin: 10px 0; }
.counts { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; padding: 0; list-style: none; }
.counts li { border: 2px solid var(--line); border-radius: 6px; padding: 6px 14px; min-width: 130px; }
.counts .n { display: block; font-size: 24px; font-weight: 800; }
.state { display: inline-block; padding: 0 6px; border-radius: 4px; font-weight: 700; color: #fff; white-space: nowrap; }
.state-PASS { background: var(--pass); } .state-FAIL { background: var(--fail); } .state-REDUCED_LOAD { background: var(--reduced); } .state-NOT_EVALUATED { background: var(--not-evaluated); }
.counts .state-PASS, .counts .state-FAIL, .counts .state-REDUCED_LOAD, .counts .state-NOT_EVALUATED { background: none; color: inherit; }
.counts li.state-PASS { border-color: var(--pass); } .counts li.state-FAIL { border-color: var(--fail); } .counts li.state-REDUCED_LOAD { border-color: var(--reduced); } .counts li.state-NOT_EVALUATED { border-color: var(--not-evaluated); }
.filters { display: flex; gap: 16px; align-items: center; margin: 8px 0; }
.filters[hidden] { display: none; }
tr[hidden] { display: none; }
details.guarantee { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
details.guarantee > summary { cursor: pointer; }
.ok-yes { color: var(--pass); font-weight: 700; } .ok-no { color: var(--fail); font-weight: 700; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; } figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 4px; }
svg.chart { max-width: 100%; height: auto; font: 11px system-ui, "DejaVu Sans", sans-serif; }
svg .chart-title { font-size: 13px; font-weight: 600; } svg .grid { stroke: #eaeef2; } svg .axis-line, svg .tick-mark { stroke: #57606a; }
svg .tick { fill: #57606a; } svg .axis-label { fill: var(--ink); } svg .band, svg .band-swatch { fill: #ddf4ff; stroke: #54aeff; stroke-dasharray: 3 2; } svg .chart-empty { fill: #57606a; font-size: 14px; }
footer { margin-top: 32px; color: #57606a; font-size: 12px; }
`;

/** Hides the verdict rows that do not match the chosen concern and verdict; says how many show. */
export const FILTER_SCRIPT = `
(function () {
  var filters = document.getElementById('verdict-filters');
  if (!filters) return;
  filters.hidden = false;
  var concern = document.getElementById('filter-concern');
  var verdict = document.getElementById('filter-verdict');
  var shown = document.getElementById('filter-count');
  var rows = document.querySelectorAll('#verdict-table tbody tr');
  function apply() {
    var n = 0;
    rows.forEach(function (row) {
      var visible = (concern.value === '' || row.getAttribute('data-concern') === concern.value)
        && (verdict.value === '' || row.getAttribute('data-state') === verdict.value);
      row.hidden = !visible;
      if (visible) n += 1;
    });
    shown.textContent = n + ' of ' + rows.length + ' shown';
  }
  concern.addEventListener('change', apply);
  verdict.addEventListener('change', apply);
  apply();
})();
`;
