import type * as tf from '@tensorflow/tfjs';

export interface ModelShapes {
  /** One shape per weight tensor, in `model.getWeights()` order. */
  shapes: number[][];
  /** Element count of each weight tensor, same order. */
  sizes: number[];
  /** Length of the flat vector holding all weights. */
  totalLength: number;
}

/** The layout of a model's weights, which is the layout of every flat weight vector HEFL sends. */
export function modelShapes(model: tf.LayersModel): ModelShapes {
  const shapes = model.weights.map((weight) =>
    weight.shape.map((dimension) => {
      if (dimension === null) throw new Error(`weight ${weight.name} has an unknown dimension; build the model first`);
      return dimension;
    }),
  );
  const sizes = shapes.map((shape) => shape.reduce((product, dimension) => product * dimension, 1));
  return { shapes, sizes, totalLength: sizes.reduce((sum, size) => sum + size, 0) };
}
