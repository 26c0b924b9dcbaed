import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../protocols/errors.js';
import { loadModel } from '../model/load-model.js';
import { modelJsonFile } from '../model/save-model.js';
import { parsePreprocessing, PREPROCESSING_FILE, type Preprocessing } from './preprocessing-file.js';

/** A model bundle as written by writeModelBundle; the caller disposes `model`. */
export interface ModelBundle {
  readonly directory: string;
  readonly model: tf.LayersModel;
  readonly preprocessing: Preprocessing;
}

export async function readPreprocessing(directory: string): Promise<Preprocessing> {
  const path = join(directory, PREPROCESSING_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(`${path}: ${missing ? `not found; is ${directory} a HEFL model bundle (the participant's output model/ folder)?` : String(cause)}`, { cause });
  }
  return parsePreprocessing(text, path);
}

/** Loads preprocessing.json first (the clearer error for a wrong folder), then the tfjs model. */
export async function readModelBundle(directory: string): Promise<ModelBundle> {
  const preprocessing = await readPreprocessing(directory);
  let model: tf.LayersModel;
  try {
    model = await loadModel(directory);
  } catch (cause) {
    throw new ConfigError(`${join(directory, modelJsonFile)}: cannot load the model: ${(cause as Error).message}`, { cause });
  }
  const inputWidth = model.inputs[0]?.shape[1];
  if (inputWidth !== preprocessing.featureNames.length) {
    model.dispose();
    throw new ConfigError(`${directory}: the model takes ${inputWidth} inputs but preprocessing.json names ${preprocessing.featureNames.length} features`);
  }
  return { directory, model, preprocessing };
}
