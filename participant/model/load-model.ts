import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { modelJsonFile } from './save-model.js';

/**
 * Loads a model saved by saveModel (or any tfjs layers model.json with its weight files) from a
 * directory, through an IOHandler that reads with node:fs because tfjs's file:// loader needs
 * tfjs-node.
 */
export async function loadModel(directory: string): Promise<tf.LayersModel> {
  const handler: tf.io.IOHandler = {
    load: async () => {
      const modelJson = parseModelJson(await readFile(path.join(directory, modelJsonFile), 'utf8'), directory);
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const weightSpecs = manifest.flatMap((group) => group.weights);
        // The manifest lists weight files in order; their concatenation is the weight buffer.
        const buffers = await Promise.all(
          manifest.flatMap((group) => group.paths).map(async (file) => toArrayBuffer(await readFile(weightPath(directory, file)))),
        );
        return [weightSpecs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
  return tf.loadLayersModel(handler);
}

function parseModelJson(text: string, directory: string): tf.io.ModelJSON {
  const parsed: unknown = JSON.parse(text);
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('modelTopology' in parsed) ||
    !('weightsManifest' in parsed) ||
    !Array.isArray(parsed.weightsManifest)
  ) {
    throw new Error(`${path.join(directory, modelJsonFile)} is not a tfjs layers model (no modelTopology / weightsManifest)`);
  }
  return parsed as tf.io.ModelJSON;
}

function weightPath(directory: string, file: string): string {
  // Weight files must sit beside model.json; a manifest must not point elsewhere on disk.
  const name = path.posix.normalize(file);
  if (name !== path.posix.basename(name) || name === '..' || name.includes('\\')) {
    throw new Error(`weight file "${file}" is outside the model directory`);
  }
  return path.join(directory, name);
}

function toArrayBuffer(buffer: Buffer): ArrayBuffer {
  // Copy: a Buffer may be a view into Node's shared pool, whose other bytes are not ours.
  return new Uint8Array(buffer).buffer;
}
