import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { RoundFailedError } from '../protocols/errors.js';
import type { CoordinatorObservation } from './round-types.js';

/**
 * How the coordinator's parts hear of each other without polling: any change (a chunk, a join, a
 * share) calls touched(), which re-checks every waitFor; observers (dashboard, metrics) get notify().
 */
export class CoordinatorEvents {
  private readonly changed = new EventEmitter();
  private readonly observers = new Set<(observation: CoordinatorObservation) => void>();
  private stopReason: string | undefined;
  /** Set only while abortWait() runs: the waits pending at that moment fail with it. */
  private abortReason: string | undefined;

  constructor(private readonly logger: Logger) {
    this.changed.setMaxListeners(0);
  }

  /** Set once stop() was called: every wait then fails with this reason. */
  get stopRequested(): string | undefined {
    return this.stopReason;
  }

  observe(observer: (observation: CoordinatorObservation) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  notify(observation: CoordinatorObservation): void {
    for (const observer of this.observers) {
      try {
        observer(observation);
      } catch (error) {
        this.logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'an observer failed');
      }
    }
  }

  /** Wakes the round loop's waits and tells observers that participant activity changed. */
  touched(): void {
    this.changed.emit('change');
    this.notify({ type: 'activity' });
  }

  stop(reason: string): void {
    this.stopReason = reason;
    this.touched();
  }

  /**
   * The waits in progress now (not later ones) fail with this reason: the round, or the key setup,
   * cannot finish (a node it needs reported that it stopped).
   */
  abortWait(reason: string): void {
    this.abortReason = reason;
    try {
      this.changed.emit('change');
    } finally {
      this.abortReason = undefined;
    }
  }

  /** Resolves true when `predicate` holds, false at the deadline; re-checked on every state change. */
  waitFor(predicate: () => boolean, deadlineUnixMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const check = (): void => {
        if (this.stopReason) {
          cleanup();
          reject(new RoundFailedError(this.stopReason));
        } else if (this.abortReason) {
          cleanup();
          reject(new RoundFailedError(this.abortReason));
        } else if (predicate()) {
          cleanup();
          resolve(true);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        resolve(predicate());
      }, Math.max(0, deadlineUnixMs - Date.now()));
      const cleanup = (): void => {
        clearTimeout(timer);
        this.changed.off('change', check);
      };
      this.changed.on('change', check);
      check();
    });
  }
}
