import os from 'node:os';

export interface MachineInfo {
  readonly cpuCount: number;
  readonly cpuModel: string;
  readonly nodeVersion: string;
  readonly totalMemoryBytes: number;
  readonly platform: string;
  readonly release: string;
  readonly arch: string;
  /** 1, 5 and 15 minute load averages when the bench started: a hint of how shared the machine was. */
  readonly loadAverageAtStart: readonly number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuCount: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    nodeVersion: process.version,
    totalMemoryBytes: os.totalmem(),
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    loadAverageAtStart: os.loadavg(),
  };
}
