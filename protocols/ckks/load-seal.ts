import SEAL from 'node-seal';
import type { MainModule } from 'node-seal';

export type Seal = MainModule;

let sealModule: Promise<Seal> | undefined;

/** Loads the SEAL WebAssembly module once per process (it costs ~100 ms and a WASM heap). */
export function loadSeal(): Promise<Seal> {
  sealModule ??= SEAL();
  return sealModule;
}
