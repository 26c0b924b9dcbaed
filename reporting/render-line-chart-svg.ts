export interface ChartSeries {
  readonly name: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * A small self-contained SVG line chart (no dependencies, no scripts), for the training report:
 * one polyline per series, axis labels, and min/max ticks. Non-finite points are skipped.
 */
export function renderLineChartSvg(options: { title: string; xLabel: string; yLabel: string; series: readonly ChartSeries[] }): string {
  const width = 640;
  const height = 360;
  const margin = { left: 64, right: 24, top: 40, bottom: 48 };
  const points = options.series.flatMap((series) => series.points.filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y)));
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  const [xMin, xMax] = xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [yMin, yMax] = ys.length > 0 ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (yMax - yMin < 1e-9) [yMin, yMax] = [yMin - 0.5, yMax + 0.5];
  const xScale = (x: number): number => margin.left + ((x - xMin) / Math.max(1e-9, xMax - xMin)) * (width - margin.left - margin.right);
  const yScale = (y: number): number => height - margin.bottom - ((y - yMin) / (yMax - yMin)) * (height - margin.top - margin.bottom);
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  const lines = options.series.map((series, index) => {
    const path = series.points
      .filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y))
      .map((point) => `${xScale(point.x).toFixed(1)},${yScale(point.y).toFixed(1)}`)
      .join(' ');
    const color = colors[index % colors.length] as string;
    const legendY = margin.top + 14 * index;
    return (
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${path}"/>` +
      `<text x="${width - margin.right - 150}" y="${legendY}" fill="${color}" font-size="12">${escapeXml(series.name)}</text>`
    );
  });
  const tick = (value: number): string => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="16">${escapeXml(options.title)}</text>`,
    `<line x1="${margin.left}" y1="${height - margin.bottom}" x2="${width - margin.right}" y2="${height - margin.bottom}" stroke="black"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${height - margin.bottom}" stroke="black"/>`,
    `<text x="${width / 2}" y="${height - 12}" text-anchor="middle" font-size="12">${escapeXml(options.xLabel)}</text>`,
    `<text x="16" y="${height / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 16 ${height / 2})">${escapeXml(options.yLabel)}</text>`,
    `<text x="${margin.left - 6}" y="${yScale(yMax) + 4}" text-anchor="end" font-size="11">${tick(yMax)}</text>`,
    `<text x="${margin.left - 6}" y="${yScale(yMin) + 4}" text-anchor="end" font-size="11">${tick(yMin)}</text>`,
    `<text x="${xScale(xMin)}" y="${height - margin.bottom + 16}" text-anchor="middle" font-size="11">${tick(xMin)}</text>`,
    `<text x="${xScale(xMax)}" y="${height - margin.bottom + 16}" text-anchor="middle" font-size="11">${tick(xMax)}</text>`,
    ...lines,
    '</svg>',
    '',
  ].join('\n');
}
