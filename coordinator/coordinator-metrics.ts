import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Coordinator } from './coordinator.js';

/**
 * Prometheus metrics of one coordinator (prom-client). Only counts, sizes and durations: never a key,
 * a ciphertext or a plaintext statistic. Refusals are labelled by message kind, not by free text, so
 * the label set stays bounded.
 */
export function createCoordinatorMetrics(coordinator: Coordinator): { registry: Registry; dispose: () => void } {
  const registry = new Registry();
  const prefix = 'hefl_coordinator_';
  const roundsCompleted = new Counter({ name: `${prefix}rounds_completed_total`, help: 'Rounds completed, by kind', labelNames: ['kind'], registers: [registry] });
  const roundSeconds = new Histogram({
    name: `${prefix}round_seconds`,
    help: 'Wall time of a round: broadcast, encrypted aggregation, decryption, evaluation',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const refusals = new Counter({ name: `${prefix}refusals_total`, help: 'Refused messages, by kind', labelNames: ['what'], registers: [registry] });
  const failures = new Counter({ name: `${prefix}job_failures_total`, help: 'Jobs that ended failed or stopped', labelNames: ['status'], registers: [registry] });
  new Gauge({
    name: `${prefix}participants_connected`,
    help: 'Participants connected now',
    registers: [registry],
    collect() {
      this.set(coordinator.connectedParticipants().length);
    },
  });
  new Gauge({
    name: `${prefix}bytes_received`,
    help: 'Bytes of request messages received since start',
    registers: [registry],
    collect() {
      this.set(coordinator.report().bytesReceived);
    },
  });
  new Gauge({
    name: `${prefix}bytes_sent`,
    help: 'Bytes of response messages sent since start',
    registers: [registry],
    collect() {
      this.set(coordinator.report().bytesSent);
    },
  });
  const unsubscribe = coordinator.observe((observation) => {
    switch (observation.type) {
      case 'round-completed':
        roundsCompleted.inc({ kind: observation.summary.kind });
        roundSeconds.observe(observation.summary.seconds);
        break;
      case 'refused':
        refusals.inc({ what: observation.what });
        break;
      case 'status':
        if (observation.status === 'failed' || observation.status === 'stopped') failures.inc({ status: observation.status });
        break;
      case 'participant':
        break;
    }
  });
  return { registry, dispose: unsubscribe };
}
