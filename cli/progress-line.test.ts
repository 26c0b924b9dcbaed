import { describe, expect, it } from 'vitest';
import { ProgressLine } from './progress-line.js';

function fakeStream(isTTY: boolean): { written: string[]; isTTY: boolean; columns: number; write(text: string): boolean } {
  const written: string[] = [];
  return { written, isTTY, columns: 40, write: (text: string) => written.push(text) > 0 };
}

describe('ProgressLine', () => {
  it('writes nothing when the stream is not a terminal', () => {
    const stream = fakeStream(false);
    const line = new ProgressLine(stream);
    line.update('round 1/3', true);
    line.clear();
    expect(stream.written).toEqual([]);
    line.interrupt('a log line\n');
    expect(stream.written).toEqual(['a log line\n']);
  });

  it('overwrites itself and redraws after a log line on a terminal', () => {
    const stream = fakeStream(true);
    const line = new ProgressLine(stream, true, 0);
    line.update('round 1/3');
    line.interrupt('log\n');
    expect(stream.written.join('')).toBe('\r\u001b[Kround 1/3\r\u001b[Klog\n\r\u001b[Kround 1/3');
    line.clear();
    expect(stream.written.at(-1)).toBe('\r\u001b[K');
  });

  it('throttles updates but always draws a forced one', () => {
    const stream = fakeStream(true);
    const line = new ProgressLine(stream, true, 60_000);
    line.update('a');
    line.update('b');
    line.update('c', true);
    expect(stream.written.filter((text) => text.includes('b'))).toEqual([]);
    expect(stream.written.at(-1)).toContain('c');
  });

  it('cuts lines wider than the terminal', () => {
    const stream = fakeStream(true);
    new ProgressLine(stream, true, 0).update('x'.repeat(200));
    expect((stream.written.at(-1) ?? '').length).toBeLessThan(45);
  });
});
