import { describe, expect, it } from 'vitest';
import { renderLineChartSvg } from './render-line-chart-svg.js';

describe('renderLineChartSvg', () => {
  it('draws one polyline per series within the canvas, escaping text', () => {
    const svg = renderLineChartSvg({
      title: 'AUC <per> round',
      xLabel: 'round',
      yLabel: 'AUC',
      series: [
        { name: 'federated', points: [{ x: 1, y: 0.6 }, { x: 2, y: 0.75 }, { x: 3, y: Number.NaN }, { x: 4, y: 0.79 }] },
        { name: 'centralized', points: [{ x: 1, y: 0.79 }, { x: 4, y: 0.79 }] },
      ],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('AUC &#60;per&#62; round');
    const coordinates = [...svg.matchAll(/points="([^"]*)"/g)].flatMap((match) => (match[1] ?? '').split(' ').map((pair) => pair.split(',').map(Number)));
    expect(coordinates).toHaveLength(5); // the NaN point is skipped
    for (const [x, y] of coordinates) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(640);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(360);
    }
  });
});
