const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLORS: Record<number, string> = { 10: '90', 20: '90', 30: '32', 40: '33', 50: '31', 60: '35' };
const FRAMING_FIELDS = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname', 'v']);

/**
 * Turns one pino JSON line into one line for people: `12:01:02 INFO  coordinator  message key=value`.
 * Redaction has already happened in pino, so nothing here can reveal more than the JSON did.
 * A line that is not pino JSON is passed through unchanged.
 */
export function formatLogLine(jsonLine: string, options: { color: boolean }): string {
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(jsonLine);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return jsonLine.trimEnd();
    record = parsed as Record<string, unknown>;
  } catch {
    return jsonLine.trimEnd();
  }
  const level = typeof record.level === 'number' ? record.level : 30;
  const levelName = (LEVEL_NAMES[level] ?? String(level)).padEnd(5);
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 19) : '--:--:--';
  const fields = Object.entries(record)
    .filter(([key]) => !FRAMING_FIELDS.has(key))
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(' ');
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const name = typeof record.name === 'string' ? `${record.name}  ` : '';
  const message = typeof record.msg === 'string' ? record.msg : '';
  return [`${paint('90', time)} ${paint(LEVEL_COLORS[level] ?? '0', levelName)} ${name}${message}`, fields].filter(Boolean).join('  ');
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}
