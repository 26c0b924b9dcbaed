/**
 * The per-range work of a party, the same in a worker thread and in the calling thread (pool size 0).
 * Every function wipes the scalar copy it was given: in a worker that copy is the only one.
 */
import { createHashPowers, hashIdsToCurve, type HashPowers } from './hash-to-curve.js';
import { blindElements, randomElements, scalarKey } from './x25519-blinding.js';

export type PsiTask =
  /** Hash ids to the curve and blind them with the owner's scalar (its first blinding). */
  | { readonly type: 'hash-blind'; readonly dst: Uint8Array; readonly ids: readonly string[]; readonly scalar: Uint8Array }
  /** Raise every element to the scalar (a peer's hop). */
  | { readonly type: 'blind'; readonly elements: Uint8Array; readonly scalar: Uint8Array; readonly firstIndex: number }
  /** Uniformly random subgroup elements (padding). */
  | { readonly type: 'random'; readonly count: number };

export type PsiTaskResult =
  | { readonly type: 'hash-blind'; readonly points: Uint8Array; readonly blinded: Uint8Array }
  | { readonly type: 'blind'; readonly blinded: Uint8Array }
  | { readonly type: 'random'; readonly elements: Uint8Array };

export interface PsiWorkerRequest {
  readonly id: number;
  readonly task: PsiTask;
}

export type PsiWorkerResponse =
  | { readonly ready: true }
  | { readonly id: number; readonly result: PsiTaskResult }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string } };

export function runPsiTask(task: PsiTask, powers: HashPowers): PsiTaskResult {
  switch (task.type) {
    case 'hash-blind': {
      try {
        const key = scalarKey(task.scalar);
        task.scalar.fill(0);
        const points = hashIdsToCurve(task.ids, task.dst, powers);
        return { type: 'hash-blind', points, blinded: blindElements(key, points) };
      } finally {
        task.scalar.fill(0);
      }
    }
    case 'blind': {
      try {
        const key = scalarKey(task.scalar);
        task.scalar.fill(0);
        return { type: 'blind', blinded: blindElements(key, task.elements, task.firstIndex) };
      } finally {
        task.scalar.fill(0);
      }
    }
    case 'random':
      return { type: 'random', elements: randomElements(task.count) };
  }
}

/** Transferable buffers of a result (moved, not copied, back to the caller). */
export function resultBuffers(result: PsiTaskResult): ArrayBuffer[] {
  switch (result.type) {
    case 'hash-blind':
      return [result.points.buffer as ArrayBuffer, result.blinded.buffer as ArrayBuffer];
    case 'blind':
      return [result.blinded.buffer as ArrayBuffer];
    case 'random':
      return [result.elements.buffer as ArrayBuffer];
  }
}

export { createHashPowers };
