/**
 * One self-overwriting status line on a terminal (stderr). It is a no-op when the stream is not a
 * TTY, so piped output and log files stay clean. Log lines written through `interrupt` first clear
 * the line and then redraw it, so progress and logs never garble each other.
 */
export class ProgressLine {
  private current = '';
  private lastDrawMs = 0;

  constructor(
    private readonly stream: { write(text: string): unknown; isTTY?: boolean; columns?: number },
    readonly enabled: boolean = stream.isTTY === true,
    private readonly minIntervalMs = 100,
  ) {}

  /** Shows `text` (throttled unless `force`). */
  update(text: string, force = false): void {
    if (!this.enabled) return;
    this.current = text;
    const now = Date.now();
    if (!force && now - this.lastDrawMs < this.minIntervalMs) return;
    this.lastDrawMs = now;
    this.draw();
  }

  /** Writes `text` above the progress line (a log line, say). */
  interrupt(text: string): void {
    this.around(() => this.stream.write(text));
  }

  /** Runs `write` (to this or another stream on the same terminal) with the line cleared, then redraws it. */
  around(write: () => void): void {
    if (!this.enabled || this.current === '') {
      write();
      return;
    }
    this.stream.write('\r\u001b[K');
    write();
    this.draw();
  }

  /** Removes the line for good. */
  clear(): void {
    if (!this.enabled || this.current === '') return;
    this.stream.write('\r\u001b[K');
    this.current = '';
  }

  private draw(): void {
    const width = Math.max(20, (this.stream.columns || 100) - 1);
    this.stream.write(`\r\u001b[K${this.current.length > width ? `${this.current.slice(0, width - 1)}…` : this.current}`);
  }
}
