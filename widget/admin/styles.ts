import { css } from 'lit';

/** Shared by every console element (each has its own shadow root). Colours meet WCAG AA on their backgrounds. */
export const adminStyles = css`
  :host {
    --vb-admin-fg: #1b1f24;
    --vb-admin-muted: #4f5863;
    --vb-admin-bg: #ffffff;
    --vb-admin-surface: #f4f6f8;
    --vb-admin-border: #c5ccd3;
    --vb-admin-accent: #0b5cad;
    --vb-admin-accent-fg: #ffffff;
    --vb-admin-danger: #b3261e;
    --vb-admin-ok: #1d6b35;
    --vb-admin-warn: #8a5300;
    --vb-admin-grid: #e3e7eb;
    --vb-admin-radius: 6px;
    display: block;
    color: var(--vb-admin-fg);
    font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h2,
  h3,
  h4 {
    margin: 0 0 0.5rem;
    line-height: 1.25;
  }
  h2 {
    font-size: 1.3rem;
  }
  h3 {
    font-size: 1.05rem;
  }
  p {
    margin: 0.25rem 0;
  }
  button {
    font: inherit;
    padding: 0.35rem 0.8rem;
    border: 1px solid var(--vb-admin-accent);
    border-radius: var(--vb-admin-radius);
    background: var(--vb-admin-bg);
    color: var(--vb-admin-accent);
    cursor: pointer;
  }
  button.primary {
    background: var(--vb-admin-accent);
    color: var(--vb-admin-accent-fg);
  }
  button.danger {
    border-color: var(--vb-admin-danger);
    color: var(--vb-admin-danger);
  }
  button:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--vb-admin-bg);
    border: 1px solid var(--vb-admin-border);
    border-radius: var(--vb-admin-radius);
    padding: 0.3rem 0.45rem;
  }
  textarea {
    width: 100%;
    min-height: 5rem;
  }
  input[type='checkbox'] {
    width: 1.05rem;
    height: 1.05rem;
  }
  input[type='color'] {
    padding: 0;
    width: 3rem;
    height: 2rem;
  }
  input[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: var(--vb-admin-danger);
    outline: 1px solid var(--vb-admin-danger);
  }
  :focus-visible {
    outline: 3px solid var(--vb-admin-accent);
    outline-offset: 2px;
  }
  label {
    font-weight: 600;
  }
  fieldset {
    border: 1px solid var(--vb-admin-border);
    border-radius: var(--vb-admin-radius);
    margin: 0 0 1rem;
    padding: 0.75rem 1rem;
  }
  legend {
    font-weight: 700;
    padding: 0 0.3rem;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.2rem;
    margin: 0 0 0.75rem;
  }
  .inline {
    display: flex;
    flex-direction: row;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  .check {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    margin: 0 1.25rem 0.4rem 0;
  }
  .check label {
    font-weight: 400;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
    gap: 0 1rem;
  }
  .hint {
    color: var(--vb-admin-muted);
    font-size: 0.88rem;
    font-weight: 400;
  }
  .error {
    color: var(--vb-admin-danger);
    font-size: 0.9rem;
    margin: 0.15rem 0 0;
  }
  .banner {
    border: 1px solid var(--vb-admin-border);
    border-left: 4px solid var(--vb-admin-danger);
    background: var(--vb-admin-surface);
    padding: 0.5rem 0.75rem;
    margin: 0 0 1rem;
    border-radius: var(--vb-admin-radius);
  }
  .card {
    border: 1px solid var(--vb-admin-border);
    border-radius: var(--vb-admin-radius);
    padding: 0.75rem 1rem;
    margin: 0 0 1rem;
    background: var(--vb-admin-bg);
  }
  .staged {
    border-color: var(--vb-admin-accent);
    box-shadow: inset 4px 0 0 var(--vb-admin-accent);
  }
  .badge {
    display: inline-block;
    font-size: 0.82rem;
    font-weight: 600;
    padding: 0.05rem 0.5rem;
    border-radius: 999px;
    border: 1px solid currentColor;
  }
  .status-ok {
    color: var(--vb-admin-ok);
  }
  .status-sandbox,
  .status-degraded {
    color: var(--vb-admin-warn);
  }
  .status-error {
    color: var(--vb-admin-danger);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin: 0.75rem 0 0;
  }
  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  table {
    border-collapse: collapse;
    margin: 0.5rem 0;
  }
  th,
  td {
    text-align: left;
    padding: 0.2rem 0.6rem 0.2rem 0;
    vertical-align: top;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

/**
 * The charts: the layout rules uPlot's own stylesheet (uplot/dist/uPlot.min.css, MIT) gives its elements, which a
 * shadow root does not inherit and the console's CSP would not let a <link> to node_modules load anyway, plus the
 * legend, readout and data table around the canvas.
 */
export const chartStyles = css`
  .uplot,
  .uplot * {
    box-sizing: border-box;
  }
  .uplot {
    width: min-content;
    line-height: 1.5;
  }
  .u-wrap {
    position: relative;
    user-select: none;
  }
  .u-over,
  .u-under {
    position: absolute;
  }
  .u-under {
    overflow: hidden;
  }
  .uplot canvas {
    display: block;
    position: relative;
    width: 100%;
    height: 100%;
  }
  .u-axis {
    position: absolute;
  }
  .u-select {
    position: absolute;
    pointer-events: none;
    background: rgba(0, 0, 0, 0.07);
  }
  .u-cursor-x,
  .u-cursor-y {
    position: absolute;
    left: 0;
    top: 0;
    pointer-events: none;
    will-change: transform;
  }
  .u-hz .u-cursor-x {
    height: 100%;
    border-right: 1px dashed var(--vb-admin-muted);
  }
  .u-hz .u-cursor-y {
    width: 100%;
    border-bottom: 1px dashed var(--vb-admin-muted);
  }
  .u-axis.u-off,
  .u-select.u-off,
  .u-cursor-x.u-off,
  .u-cursor-y.u-off {
    display: none;
  }
  figure.chart {
    margin: 0;
    min-width: 0;
    container-type: inline-size;
  }
  /* A phone's card: a little smaller and tighter, so four columns of numbers fit without scrolling. */
  @container (max-width: 24rem) {
    .table-scroll table {
      font-size: 0.8rem;
    }
    .table-scroll th,
    .table-scroll td {
      padding-left: 0.55rem;
    }
  }
  .plot {
    width: 100%;
    min-height: 220px;
    overflow: hidden;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 0.15rem 1rem;
    font-size: 0.88rem;
    margin: 0 0 0.25rem;
  }
  .legend li {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    overflow-wrap: anywhere;
  }
  .swatch {
    flex: none;
  }
  .readout {
    min-height: 1.3rem;
    font-size: 0.82rem;
    color: var(--vb-admin-muted);
    font-variant-numeric: tabular-nums;
    overflow-wrap: anywhere;
  }
  figcaption {
    margin: 0.5rem 0 0;
    font-size: 0.9rem;
  }
  .chart-empty {
    display: grid;
    place-items: center;
    min-height: 8rem;
    margin: 0.5rem 0;
    border: 1px dashed var(--vb-admin-border);
    border-radius: var(--vb-admin-radius);
    background: var(--vb-admin-surface);
    color: var(--vb-admin-muted);
    text-align: center;
    padding: 1rem;
  }
  details {
    margin: 0.5rem 0 0;
  }
  summary {
    cursor: pointer;
    color: var(--vb-admin-accent);
    font-weight: 600;
    width: max-content;
  }
`;

/** The Analytics, Report and Alerts sections: filters, headline numbers, verdicts, their loading and empty states. */
export const sectionStyles = css`
  .filters {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 0 1rem;
    margin: 0 0 0.25rem;
  }
  .filters .field,
  .filters .check {
    margin-bottom: 0.75rem;
  }
  /* As wide before the tenants arrive as after: the row does not jump when they do. */
  .filters select {
    min-width: 12rem;
    max-width: 100%;
  }
  /* One height for every control of the row, so the checkbox and the buttons line up with the fields. */
  .filters select,
  .filters input:not([type='checkbox']),
  .filter-actions button,
  .filters .check {
    min-height: 2.25rem;
  }
  .filter-actions {
    display: flex;
    gap: 0.5rem;
    margin: 0 0 0.75rem;
  }
  .presets {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    flex-basis: 100%;
    margin: 0 0 0.5rem;
  }
  .presets {
    align-items: center;
  }
  .presets > span {
    font-weight: 600;
    margin-right: 0.1rem;
  }
  .presets button {
    font-size: 0.88rem;
    padding: 0.2rem 0.7rem;
    border-radius: 999px;
  }
  .presets button[aria-pressed='true'] {
    background: var(--vb-admin-accent);
    color: var(--vb-admin-accent-fg);
  }
  .results {
    transition: opacity 0.15s;
  }
  .stale {
    opacity: 0.6;
  }
  @media (prefers-reduced-motion: reduce) {
    .results {
      transition: none;
    }
  }
  .kpis {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(8.75rem, 1fr));
    gap: 0.75rem;
    margin: 0.5rem 0 1rem;
  }
  /* Two tiles a row on a phone: an odd last one takes the whole row rather than standing alone. */
  @media (max-width: 40rem) {
    .kpi:last-child:nth-child(odd) {
      grid-column: 1 / -1;
    }
  }
  .kpi {
    border: 1px solid var(--vb-admin-border);
    border-radius: var(--vb-admin-radius);
    background: var(--vb-admin-surface);
    padding: 0.5rem 0.65rem;
    display: flex;
    flex-direction: column;
    gap: 0.1rem;
  }
  .kpi > :first-child {
    color: var(--vb-admin-muted);
    font-size: 0.8rem;
    font-weight: 600;
  }
  .kpi > :last-child {
    margin: 0;
    font-size: 1.3rem;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  .charts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 28rem), 1fr));
    gap: 1rem;
  }
  .charts > * {
    min-width: 0;
  }
  /* The headline chart across the whole row; the others pair up, and an odd last one takes its row too. */
  .charts > :first-child,
  .charts > :last-child:nth-child(even) {
    grid-column: 1 / -1;
  }
  .skeleton {
    color: var(--vb-admin-muted);
    background: var(--vb-admin-surface);
  }
  .chart-skeleton {
    display: grid;
    place-items: center;
    min-height: 16rem;
  }
  .empty-state {
    text-align: center;
    padding: 2rem 1rem;
    background: var(--vb-admin-surface);
  }
  .empty-state p {
    max-width: 40rem;
    margin: 0.25rem auto;
  }
  .status-muted {
    color: var(--vb-admin-muted);
  }
  .verdicts {
    margin: 0.5rem 0 1rem;
    font-size: 1.05rem;
  }
  .features {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr));
    gap: 0 1rem;
  }
  .feature,
  .alert {
    min-width: 0;
  }
  .feature h3,
  .alert h3 {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
  }
  .flag-key {
    font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
    overflow-wrap: anywhere;
  }
  .feature.go {
    box-shadow: inset 4px 0 0 var(--vb-admin-ok);
  }
  .feature.no-go,
  .alert.open {
    box-shadow: inset 4px 0 0 var(--vb-admin-danger);
  }
  .verdict {
    font-size: 0.9rem;
    padding: 0.1rem 0.6rem;
  }
  .reasons {
    margin: 0;
    padding-left: 1.2rem;
  }
  #report-md-body {
    margin: 0.75rem 0 0;
  }
  textarea.markdown {
    font: 0.85rem/1.45 ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
    min-height: 12rem;
    white-space: pre;
    overflow: auto;
  }
  .table-scroll {
    overflow-x: auto;
    max-width: 100%;
  }
  .table-scroll table {
    font-size: 0.88rem;
    font-variant-numeric: tabular-nums;
  }
  .table-scroll th,
  .table-scroll td {
    white-space: nowrap;
    border-bottom: 1px solid var(--vb-admin-grid);
  }
  .table-scroll th,
  .table-scroll td {
    padding: 0.2rem 0 0.2rem 0.75rem;
  }
  .table-scroll tr > :first-child {
    padding-left: 0;
  }
  .table-scroll td {
    text-align: right;
  }
  /* Headings may wrap ("Success / rate"): the numbers under them set the width, so a phone fits four columns. */
  .table-scroll thead th {
    white-space: normal;
    vertical-align: bottom;
  }
  .table-scroll thead th:not(:first-child) {
    text-align: right;
  }
  .table-scroll tfoot th,
  .table-scroll tfoot td {
    font-weight: 700;
    border-bottom: none;
  }
  /* The report's checks: a table across a wide card, each check a two-line block on a narrow one. */
  .feature,
  [data-health] {
    container-type: inline-size;
  }
  table.checks {
    width: 100%;
    font-size: 0.92rem;
    font-variant-numeric: tabular-nums;
  }
  table.checks th,
  table.checks td {
    border-bottom: 1px solid var(--vb-admin-grid);
    padding: 0.3rem 0.75rem 0.3rem 0;
  }
  table.checks .result {
    white-space: nowrap;
  }
  .status-error[data-status] {
    font-weight: 700;
  }
  @container (max-width: 30rem) {
    table.checks thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
    table.checks tr {
      display: grid;
      grid-template-columns: auto 1fr auto;
      column-gap: 0.75rem;
      padding: 0.4rem 0;
      border-bottom: 1px solid var(--vb-admin-grid);
    }
    table.checks th,
    table.checks td {
      border: none;
      padding: 0;
    }
    table.checks .metric {
      grid-area: 1 / 1 / 2 / 3;
    }
    table.checks .result {
      grid-area: 1 / 3;
      text-align: right;
    }
    table.checks .value {
      grid-area: 2 / 1;
    }
    table.checks .threshold {
      grid-area: 2 / 2 / 3 / 4;
      color: var(--vb-admin-muted);
    }
    table.checks .threshold::before {
      content: 'Threshold ';
    }
  }
`;
