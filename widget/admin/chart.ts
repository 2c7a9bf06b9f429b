import { html, LitElement, nothing, svg, type PropertyValues } from 'lit';
import uPlot from 'uplot';
import { defineOnce } from '../define.ts';
import { formatDay, formatValue, niceMax, stack } from './analytics-model.ts';
import type { ChartSeries, ChartSpec, Unit } from './analytics-model.ts';
import { adminStyles, chartStyles, sectionStyles } from './styles.ts';

const HEIGHT = 220;
const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Compact axis labels: "1.2k", "95%", "1.5 s", "$12". */
function tick(unit: Unit, v: number): string {
  if (unit === 'rate') return `${Math.round(v * 1000) / 10}%`;
  if (unit === 'ms') return v >= 1000 ? `${Math.round(v / 100) / 10} s` : `${Math.round(v)} ms`;
  const k = Math.abs(v) >= 1000 ? `${Math.round(v / 100) / 10}k` : String(Math.round(v * 100) / 100);
  return unit === 'usd' ? `$${k}` : k;
}

let measure: CanvasRenderingContext2D | null = null;

/**
 * Room for the widest label, so "1.5 s" or "$12.5" is never cut off at the edge. Measured on a canvas of its own:
 * uPlot caches the font it set on the chart's, and its font is scaled by the pixel ratio.
 */
const axisSize = (_self: uPlot, values: string[] | null) => {
  if (!values?.length) return 40;
  measure ??= document.createElement('canvas').getContext('2d');
  if (!measure) return 56;
  measure.font = FONT;
  return Math.ceil(Math.max(...values.map((s) => measure!.measureText(s).width))) + 14;
};

/**
 * One chart of the Analytics section: a uPlot canvas drawn from a ChartSpec, with a legend, the spec's summary as the
 * caption and the same numbers as a table behind a disclosure. The canvas is decoration to assistive technology
 * (aria-hidden): the caption and the table carry everything it shows. Bars stack in the spec's order; lines go on
 * the left axis when their unit is the bars' (or there are no bars), else on a right axis.
 */
export class AdminChart extends LitElement {
  static override styles = [adminStyles, sectionStyles, chartStyles];
  static override properties = {
    spec: { attribute: false },
    hover: { state: true },
  };

  declare spec: ChartSpec | null;
  /** The day under the pointer, for the readout above the plot. */
  declare hover: number | null;

  private plot: uPlot | null = null;
  private resize: ResizeObserver | null = null;

  constructor() {
    super();
    this.spec = null;
    this.hover = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.teardown();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page (a tab shown again): draw again, the canvas went with the disconnect.
    if (this.hasUpdated) this.requestUpdate();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('spec') || !this.plot) this.draw();
  }

  private teardown(): void {
    this.resize?.disconnect();
    this.resize = null;
    this.plot?.destroy();
    this.plot = null;
  }

  private draw(): void {
    this.teardown();
    const target = this.renderRoot.querySelector<HTMLElement>('.plot');
    const spec = this.spec;
    if (!target || !spec || spec.empty) return;
    this.hover = null;
    this.plot = new uPlot(this.options(spec, Math.max(240, target.clientWidth)), this.data(spec), target);
    this.resize = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry!.contentRect.width);
      if (width > 0 && this.plot && width !== this.plot.width) this.plot.setSize({ width, height: HEIGHT });
    });
    this.resize.observe(target);
  }

  private bars(spec: ChartSpec) {
    return spec.series.filter((s) => s.kind === 'bar');
  }

  private lines(spec: ChartSpec) {
    return spec.series.filter((s) => s.kind === 'line');
  }

  /** The stacked bars tallest first (each drawn from zero, the next one over it), then the lines. */
  private data(spec: ChartSpec): uPlot.AlignedData {
    const sums = stack(this.bars(spec).map((s) => s.values)).reverse();
    return [spec.dates.map((_, i) => i), ...sums, ...this.lines(spec).map((s) => s.values)];
  }

  private scaleOf(spec: ChartSpec, s: ChartSeries): string {
    const left = this.bars(spec)[0]?.unit ?? this.lines(spec)[0]!.unit;
    return s.unit === left ? 'left' : 'right';
  }

  private options(spec: ChartSpec, width: number): uPlot.Options {
    const css = getComputedStyle(this);
    const muted = css.getPropertyValue('--vb-admin-muted').trim() || '#4f5863';
    const grid = css.getPropertyValue('--vb-admin-grid').trim() || '#e3e7eb';
    const bg = css.getPropertyValue('--vb-admin-bg').trim() || '#ffffff';
    const n = spec.dates.length;
    const bars = [...this.bars(spec)].reverse();
    const lines = this.lines(spec);
    const unitOf = (scale: string) => spec.series.find((s) => this.scaleOf(spec, s) === scale)!.unit;
    const hasRight = spec.series.some((s) => this.scaleOf(spec, s) === 'right');
    const yAxis = (scale: 'left' | 'right'): uPlot.Axis => ({
      scale,
      side: scale === 'left' ? 3 : 1,
      stroke: muted,
      font: FONT,
      size: axisSize,
      gap: 4,
      space: 36,
      grid: { show: scale === 'left', stroke: grid, width: 1 },
      ticks: { show: false },
      values: (_u, splits) => splits.map((v) => tick(unitOf(scale), v)),
    });
    const range = (scale: 'left' | 'right'): uPlot.Scale => ({
      range: (_u, _min, max) => [0, niceMax(max, unitOf(scale))],
    });
    // Dots on a line only where the days are far enough apart to tell them from the line itself.
    const dots = (u: uPlot) => u.bbox.width / devicePixelRatio / n >= 14;
    const barPaths = uPlot.paths.bars!({ size: [0.72, 44], align: 0 });
    return {
      width,
      height: HEIGHT,
      legend: { show: false },
      padding: [12, hasRight ? 4 : 12, 0, 4],
      cursor: {
        drag: { x: false, y: false },
        y: false,
        points: { show: false },
      },
      scales: {
        x: { time: false, range: () => [-0.5, n - 0.5] },
        left: range('left'),
        ...(hasRight ? { right: range('right') } : {}),
      },
      axes: [
        {
          stroke: muted,
          font: FONT,
          gap: 4,
          size: 30,
          space: 52,
          incrs: [1, 2, 7, 14, 28],
          grid: { show: false },
          ticks: { show: true, stroke: grid, size: 4 },
          values: (_u, splits) =>
            splits.map((i) => (Number.isInteger(i) && spec.dates[i] ? formatDay(spec.dates[i]) : '')),
        },
        yAxis('left'),
        ...(hasRight ? [yAxis('right')] : []),
      ],
      series: [
        {},
        ...bars.map((s) => ({
          label: s.label,
          scale: this.scaleOf(spec, s),
          fill: s.color,
          // A background-coloured edge between stacked segments: they are told apart by more than their hue.
          stroke: bg,
          width: 1,
          paths: barPaths,
          points: { show: false },
        })),
        ...lines.map((s) => ({
          label: s.label,
          scale: this.scaleOf(spec, s),
          stroke: s.color,
          width: 2,
          ...(s.dashed ? { dash: [6, 4] } : {}),
          points: { show: dots, size: 5, fill: bg, stroke: s.color, width: 1.5 },
        })),
      ],
      hooks: {
        setCursor: [(u) => (this.hover = u.cursor.idx ?? null)],
      },
    };
  }

  protected override render() {
    const spec = this.spec;
    if (!spec) return nothing;
    const titleId = `chart-${spec.id}`;
    return html`
      <figure class="card chart" aria-labelledby=${titleId} data-chart=${spec.id}>
        <h3 id=${titleId}>${spec.title}</h3>
        ${
          spec.empty
            ? html`<p class="chart-empty" data-empty>${spec.empty}</p>`
            : html`
              <ul class="plain legend">
                ${spec.series.map((s) => html`<li>${this.swatch(s)}<span>${s.label}</span></li>`)}
              </ul>
              <p class="readout" aria-hidden="true">${this.readout(spec)}</p>
              <div class="plot" aria-hidden="true"></div>`
        }
        <figcaption>${spec.summary}</figcaption>
        ${spec.empty ? nothing : this.renderTable(spec, titleId)}
      </figure>
    `;
  }

  private swatch(s: ChartSeries) {
    const line = svg`<line x1="1" y1="6" x2="21" y2="6" stroke=${s.color} stroke-width="2.5"
      stroke-dasharray=${s.dashed ? '5 3' : 'none'}></line>`;
    const box = svg`<rect x="4" y="0" width="12" height="12" rx="2" fill=${s.color}></rect>`;
    return html`<svg class="swatch" width="22" height="12" viewBox="0 0 22 12" aria-hidden="true" focusable="false">
      ${s.kind === 'line' ? line : box}</svg>`;
  }

  private readout(spec: ChartSpec): string {
    const i = this.hover;
    if (i === null || !spec.dates[i]) return '';
    const parts = spec.series.map((s) => `${s.label} ${formatValue(s.unit, s.values[i] ?? null)}`);
    return `${formatDay(spec.dates[i])}: ${parts.join(' · ')}`;
  }

  private renderTable(spec: ChartSpec, titleId: string) {
    const { head, rows, foot } = spec.table;
    return html`
      <details>
        <summary>Data table</summary>
        <div class="table-scroll" role="region" tabindex="0" aria-label="${spec.title}: numbers per day">
          <table aria-describedby=${titleId}>
            <thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
            <tbody>
              ${rows.map(
                ([day, ...cells]) => html`<tr><th scope="row">${day}</th>${cells.map((c) => html`<td>${c}</td>`)}</tr>`,
              )}
            </tbody>
            <tfoot>
              <tr><th scope="row">${foot[0]}</th>${foot.slice(1).map((c) => html`<td>${c}</td>`)}</tr>
            </tfoot>
          </table>
        </div>
      </details>
    `;
  }
}

defineOnce('vb-admin-chart', AdminChart);

declare global {
  interface HTMLElementTagNameMap {
    'vb-admin-chart': AdminChart;
  }
}
