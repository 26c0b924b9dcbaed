import { writeFile } from 'node:fs/promises';
import type * as tf from '@tensorflow/tfjs';
import { softwareVersions } from '../../protocols/wire/software-versions.js';
import type { Preprocessing } from '../bundle/preprocessing-file.js';
import { readModelBundle } from '../bundle/read-model-bundle.js';
import { onnxModelBytes } from './build-onnx-model.js';
import { denseLayersOf } from './dense-layers-of.js';

export const ONNX_FILE = 'model.onnx';

/** The .onnx bytes of a loaded model and its preprocessing. */
export function exportOnnx(model: tf.LayersModel, preprocessing: Preprocessing): Uint8Array {
  return onnxModelBytes(denseLayersOf(model), preprocessing, softwareVersions().hefl ?? 'unknown');
}

/** `hefl export-onnx`: a bundle written before model.onnx was part of it, or a copy elsewhere. */
export async function exportBundleToOnnx(bundleDirectory: string, outFile: string): Promise<void> {
  const { model, preprocessing } = await readModelBundle(bundleDirectory);
  try {
    await writeFile(outFile, exportOnnx(model, preprocessing));
  } finally {
    model.dispose();
  }
}
