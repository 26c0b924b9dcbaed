import * as tf from '@tensorflow/tfjs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const modelJsonFile = 'model.json';
export const weightsFile = 'weights.bin';

/**
 * Writes a model in the standard tfjs layers format (model.json + weights.bin), loadable by
 * tf.loadLayersModel in a browser or by loadModel here. tfjs's own file:// saver lives in
 * tfjs-node, which HEFL cannot rely on, so the artifacts are written with node:fs.
 *
 * The training config is left out: the saved model is the federation's result for inference, and
 * how it was trained lives in the job file.
 */
export async function saveModel(model: tf.LayersModel, directory: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (artifacts.weightSpecs === undefined || artifacts.weightData === undefined) {
        throw new Error('model produced no weights to save');
      }
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${weightsFile}`], weights: artifacts.weightSpecs }],
      };
      await mkdir(directory, { recursive: true });
      // Weights first, model.json last, each via rename: a reader never sees a model.json whose
      // weights are missing or half-written.
      await writeAtomically(path.join(directory, weightsFile), weights);
      await writeAtomically(path.join(directory, modelJsonFile), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

async function writeAtomically(file: string, contents: Uint8Array | string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}
