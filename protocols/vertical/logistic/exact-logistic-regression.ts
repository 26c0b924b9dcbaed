import { choleskySolve } from './cholesky-solve.js';
import { forwardPart } from './forward-part.js';

export interface ExactLogisticOptions {
  /** λ of the mean loss + (λ/2)‖w‖² (intercept excluded), as in the vertical recipe. */
  l2: number;
  /** Column of ones, exempt from L2. */
  interceptIndex?: number;
  /** Rows to fit on (default: all). */
  rows?: Int32Array;
  maxIterations?: number;
  /** Stop when the largest Newton step |Δw_j| falls below this. */
  tolerance?: number;
}

export interface ExactLogisticModel {
  weights: Float64Array;
  iterations: number;
  converged: boolean;
}

const sigmoid = (u: number): number => (u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u)));

/**
 * The centralized exact reference: L2-regularised logistic regression by Newton's method (IRLS) in
 * Float64, w ← w − H⁻¹g with g = Xᵀ(σ(Xw) − y)/n + λw and H = XᵀWX/n + λI, W = σ(1−σ).
 * X is column-major (one array per feature), as everywhere in the vertical code.
 */
export function exactLogisticRegression(columns: readonly Float64Array[], labels: ArrayLike<number>, options: ExactLogisticOptions): ExactLogisticModel {
  const rows = options.rows ?? Int32Array.from({ length: labels.length }, (_, index) => index);
  const n = rows.length;
  const d = columns.length;
  if (n === 0 || d === 0) throw new RangeError(`exactLogisticRegression: ${n} rows, ${d} features`);
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-10;
  const penalty = Float64Array.from({ length: d }, (_, j) => (j === options.interceptIndex ? 0 : options.l2));
  // The batch's columns gathered once, so the d² Hessian loop runs over contiguous memory.
  const gathered = columns.map((column) => Float64Array.from(rows, (row) => column[row] as number));
  const y = Float64Array.from(rows, (row) => labels[row] as number);
  const all = Int32Array.from({ length: n }, (_, index) => index);
  let weights = new Float64Array(d);
  for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
    const scores = forwardPart(gathered, weights, all);
    const residual = new Float64Array(n);
    const curvature = new Float64Array(n);
    for (let r = 0; r < n; r += 1) {
      const p = sigmoid(scores[r] as number);
      residual[r] = p - (y[r] as number);
      curvature[r] = p * (1 - p);
    }
    const gradient = new Float64Array(d);
    const hessian = new Float64Array(d * d);
    const weighted = new Float64Array(n);
    for (let a = 0; a < d; a += 1) {
      const xa = gathered[a] as Float64Array;
      let g = 0;
      for (let r = 0; r < n; r += 1) {
        g += (residual[r] as number) * (xa[r] as number);
        weighted[r] = (curvature[r] as number) * (xa[r] as number);
      }
      gradient[a] = g / n + (penalty[a] as number) * (weights[a] as number);
      for (let b = 0; b <= a; b += 1) {
        const xb = gathered[b] as Float64Array;
        let h = 0;
        for (let r = 0; r < n; r += 1) h += (weighted[r] as number) * (xb[r] as number);
        hessian[a * d + b] = h / n + (a === b ? (penalty[a] as number) : 0);
        hessian[b * d + a] = hessian[a * d + b] as number;
      }
    }
    const step = choleskySolve(hessian, gradient);
    let largest = 0;
    weights = Float64Array.from(weights, (w, j) => {
      largest = Math.max(largest, Math.abs(step[j] as number));
      return w - (step[j] as number);
    });
    if (largest < tolerance) return { weights, iterations: iteration, converged: true };
  }
  return { weights, iterations: maxIterations, converged: false };
}

/** Linear scores Xw of a fitted model on the given rows (rank them for AUC; σ of them for probabilities). */
export function scoreLogisticModel(columns: readonly Float64Array[], model: Pick<ExactLogisticModel, 'weights'>, rows: Int32Array): Float64Array {
  return forwardPart(columns, model.weights, rows);
}
