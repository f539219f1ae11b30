/**
 * Misra-style latent sizes (Misra, Wan & McAuley, RecSys 2018, "K-LV" with one dimension): each member
 * has a true size, each item a size offset (it runs small or large), and an ordinal logit with two
 * thresholds turns z = scale·(rented size − member's mean rented size) + item offset − member shift into
 * P(small), P(fit), P(large). Offsets and shifts are in logit units; the scale converts size steps.
 * A member's true size is anchored at the mean size they rented, so the learned part is a shift that
 * regularisation pulls to 0; a member never seen is taken to rent their true size.
 */
import { LARGE, SMALL } from './fit-data.ts';

export interface LatentSizeParams {
  /** L2 weight on each member's shift from their mean rented size */
  lambdaUser: number;
  /** L2 weight on each item's offset */
  lambdaItem: number;
  /** full-batch Adam steps */
  epochs: number;
  learningRate: number;
  /**
   * true: anchor each member at the mean size they rented (a member never seen is taken to rent their
   * size); false: anchor everyone at the global mean size (the plain one-latent-size model)
   */
  anchorMembers: boolean;
}

export const LATENT_SIZE_DEFAULTS: LatentSizeParams = {
  lambdaUser: 3, lambdaItem: 0.5, epochs: 100, learningRate: 0.1, anchorMembers: false,
};

export interface LatentSizes {
  /** mean rented size of member u in training, NaN when they have no training row */
  userAnchor: Float64Array;
  /** learned shift of member u's true size from the anchor (logit units: scale × size steps) */
  userShift: Float64Array;
  /** how much item i runs large (+) or small (−), in logit units */
  itemOffset: Float64Array;
  /** [scale, lower threshold, upper threshold] */
  link: Float64Array;
}

/** Rows to learn from: member, item, numeric size (NaN rows are skipped), label 0/1/2. */
export interface LatentRows {
  users: Int32Array;
  items: Int32Array;
  sizes: Float64Array;
  labels: Int8Array;
}

const EPS = 1e-9;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The signed mismatch z of item i in size s on member u (> 0: the item will feel large). */
export function latentZ(m: LatentSizes, u: number, i: number, size: number): number {
  const anchor = u >= 0 && u < m.userAnchor.length ? m.userAnchor[u] : Number.NaN;
  const member = Number.isNaN(anchor) ? 0 : m.link[0] * (size - anchor) - m.userShift[u];
  const offset = i >= 0 && i < m.itemOffset.length ? m.itemOffset[i] : 0;
  return member + offset;
}

/** P(small), P(fit), P(large) for mismatch z, written into out[0..2]. */
export function ordinalProbs(m: LatentSizes, z: number, out: Float64Array | number[]): void {
  const a = sigmoid(m.link[1] - z);
  const b = sigmoid(m.link[2] - z);
  out[0] = a;
  out[1] = Math.max(b - a, 0);
  out[2] = 1 - b;
}

/** Fits member sizes, item offsets and the ordinal link by full-batch Adam on the regularised log-loss. */
export function trainLatentSizes(rows: LatentRows, nUsers: number, nItems: number, params: LatentSizeParams): LatentSizes {
  const n = rows.labels.length;
  const userAnchor = params.anchorMembers ? meanSizePerUser(rows, nUsers) : globalMeanSize(rows, nUsers);
  const model: LatentSizes = {
    userAnchor,
    userShift: new Float64Array(nUsers),
    itemOffset: new Float64Array(nItems),
    link: Float64Array.of(0.2, -1.5, 1.5),
  };
  // the link is parameterised as [scale, lower threshold, log gap] so the thresholds stay ordered
  const linkRaw = Float64Array.of(0.2, -1.5, Math.log(3));
  const gUser = new Float64Array(nUsers);
  const gItem = new Float64Array(nItems);
  const gLink = new Float64Array(3);
  const adamUser = new Adam(nUsers);
  const adamItem = new Adam(nItems);
  const adamLink = new Adam(3);
  for (let epoch = 1; epoch <= params.epochs; epoch++) {
    gUser.fill(0);
    gItem.fill(0);
    gLink.fill(0);
    const [scale, t1] = linkRaw;
    const t2 = t1 + Math.exp(linkRaw[2]);
    for (let k = 0; k < n; k++) {
      const s = rows.sizes[k];
      if (Number.isNaN(s)) continue;
      const u = rows.users[k];
      const i = rows.items[k];
      const d = s - userAnchor[u];
      const z = scale * d + model.itemOffset[i] - model.userShift[u];
      const a = sigmoid(t1 - z);
      const b = sigmoid(t2 - z);
      let dz: number;
      let dt1 = 0;
      let dt2 = 0;
      if (rows.labels[k] === SMALL) {
        dz = 1 - a;
        dt1 = -(1 - a);
      } else if (rows.labels[k] === LARGE) {
        dz = -b;
        dt2 = b;
      } else {
        const p = Math.max(b - a, EPS);
        dz = (b * (1 - b) - a * (1 - a)) / p;
        dt1 = (a * (1 - a)) / p;
        dt2 = -(b * (1 - b)) / p;
      }
      gItem[i] += dz;
      gUser[u] -= dz;
      gLink[0] += dz * d;
      gLink[1] += dt1 + dt2;
      gLink[2] += dt2 * (t2 - t1);
    }
    for (let u = 0; u < nUsers; u++) gUser[u] += params.lambdaUser * model.userShift[u];
    for (let i = 0; i < nItems; i++) gItem[i] += params.lambdaItem * model.itemOffset[i];
    adamUser.step(model.userShift, gUser, params.learningRate, epoch);
    adamItem.step(model.itemOffset, gItem, params.learningRate, epoch);
    adamLink.step(linkRaw, gLink, params.learningRate, epoch);
  }
  model.link[0] = linkRaw[0];
  model.link[1] = linkRaw[1];
  model.link[2] = linkRaw[1] + Math.exp(linkRaw[2]);
  return model;
}

function meanSizePerUser(rows: LatentRows, nUsers: number): Float64Array {
  const sum = new Float64Array(nUsers);
  const count = new Float64Array(nUsers);
  for (let k = 0; k < rows.labels.length; k++) {
    if (Number.isNaN(rows.sizes[k])) continue;
    sum[rows.users[k]] += rows.sizes[k];
    count[rows.users[k]] += 1;
  }
  for (let u = 0; u < nUsers; u++) sum[u] = count[u] > 0 ? sum[u] / count[u] : Number.NaN;
  return sum;
}

function globalMeanSize(rows: LatentRows, nUsers: number): Float64Array {
  let sum = 0;
  let count = 0;
  for (const s of rows.sizes) {
    if (Number.isNaN(s)) continue;
    sum += s;
    count++;
  }
  return new Float64Array(nUsers).fill(count > 0 ? sum / count : 0);
}

/** Adam with per-coordinate moments; a coordinate whose gradient is always 0 never moves. */
class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  constructor(n: number) {
    this.m = new Float64Array(n);
    this.v = new Float64Array(n);
  }

  step(x: Float64Array, g: Float64Array, lr: number, t: number): void {
    const b1 = 0.9;
    const b2 = 0.999;
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    for (let j = 0; j < x.length; j++) {
      this.m[j] = b1 * this.m[j] + (1 - b1) * g[j];
      this.v[j] = b2 * this.v[j] + (1 - b2) * g[j] * g[j];
      x[j] -= (lr * (this.m[j] / c1)) / (Math.sqrt(this.v[j] / c2) + 1e-8);
    }
  }
}
