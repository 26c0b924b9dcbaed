import { describe, expect, it } from 'vitest';
import { formatLogLine } from './format-log-line.js';

describe('formatLogLine', () => {
  it('renders time, level, name, message and the remaining fields', () => {
    const line = JSON.stringify({ level: 40, time: Date.UTC(2026, 0, 2, 3, 4, 5), pid: 1, hostname: 'h', name: 'coordinator', msg: 'update refused', round: 3, reason: 'round 3 is closed' });
    expect(formatLogLine(line, { color: false })).toBe('03:04:05 WARN  coordinator  update refused  round=3 reason="round 3 is closed"');
  });

  it('keeps redacted values redacted and nested values as JSON', () => {
    const line = JSON.stringify({ level: 30, time: 0, msg: 'm', secretKey: '[redacted]', byType: { update: 2 } });
    expect(formatLogLine(line, { color: false })).toBe('00:00:00 INFO  m  secretKey=[redacted] byType={"update":2}');
  });

  it('colours the level only when asked', () => {
    const line = JSON.stringify({ level: 50, time: 0, msg: 'x' });
    expect(formatLogLine(line, { color: true })).toContain('\u001b[31mERROR\u001b[0m');
    expect(formatLogLine(line, { color: false })).not.toContain('\u001b');
  });

  it('passes a line that is not pino JSON through', () => {
    expect(formatLogLine('plain text\n', { color: false })).toBe('plain text');
    expect(formatLogLine('[1,2]', { color: false })).toBe('[1,2]');
  });
});
