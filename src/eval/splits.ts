/**
 * The top-N protocols of EVALUATION.md as pure functions over an EvalDataset.
 * - `global-time --cutoff C`: train = interactions with time < C, test = time ≥ C.
 * - `user-time`: every member with ≥ 5 interactions, sorted by (time, input order), holds out the last
 *   max(1, floor(0.2·n)) as test; all else is train.
 * A repeated (member, item) pair counts once, at its first occurrence in (time, input order), before
 * either split (so n above counts distinct items; on RTR's global-time this changes nothing: a pair
 * first seen before C is a train pair, and its later repeats could never be relevant). The item
 * vocabulary is the train items; a member is evaluated with ≥ 1 train interaction and ≥ 1 relevant
 * item: a test item in the vocabulary that is not among their train items.
 */
import { VitrineError } from '../core/errors.ts';
import { toEpochMs } from '../core/time.ts';
import type { TrainInput } from '../ml/model.ts';
import { subsetInteractions, subsetItemFeatures, type EvalDataset } from './eval-dataset.ts';

export const PROTOCOL_NAMES = ['global-time', 'user-time'] as const;

export type SplitProtocol = { name: 'global-time'; cutoff: number } | { name: 'user-time' };

/** user-time: members with at least this many distinct items hold some out */
export const USER_TIME_MIN_INTERACTIONS = 5;
/** user-time: the share of a member's (last) interactions held out, at least one */
export const USER_TIME_TEST_FRACTION = 0.2;

/** One evaluated member: what they had in train (excluded from ranking) and what should be found. */
export interface EvalUser {
  userId: string;
  trainItems: ReadonlySet<string>;
  relevant: ReadonlySet<string>;
  /**
   * The time the question is asked (epoch ms), passed to `recommend` as `asOf`: the cutoff under
   * global-time, the member's last train interaction under user-time (EVALUATION.md).
   */
  asOf: number;
}

export interface EvalSplit {
  protocol: SplitProtocol;
  /** train interactions (one per distinct pair, input order) over the vocabulary, with item features */
  train: TrainInput;
  /** rows of the train part counting repeats (RTR global-time: 154,033) */
  trainRows: number;
  users: EvalUser[];
  /** the end of train, epoch ms: the cutoff, or the last train interaction (user-time) */
  trainEnd: number;
  /** the first and last interaction of the whole data set, epoch ms (for reports) */
  dataStart: number;
  dataEnd: number;
}

/** The protocol named `name` (`cutoff` = an ISO date, global-time only); VITRINE_EVAL_BAD_PROTOCOL otherwise. */
export function parseProtocol(name: string | undefined, cutoff?: string): SplitProtocol {
  if (name === 'global-time') {
    if (cutoff === undefined) throw badProtocol('global-time needs --cutoff DATE (e.g. 2017-07-01)');
    const ms = toEpochMs(cutoff);
    if (ms === undefined) throw badProtocol(`--cutoff "${cutoff}" is not an ISO-8601 date (e.g. 2017-07-01)`);
    return { name, cutoff: ms };
  }
  if (name === 'user-time') {
    if (cutoff !== undefined) throw badProtocol('user-time takes no --cutoff (each member\'s last 20% is held out)');
    return { name };
  }
  throw badProtocol(`unknown protocol "${name ?? ''}": one of ${PROTOCOL_NAMES.join(', ')}`);
}

/** Splits `ds` by `protocol`; VITRINE_EVAL_NO_USERS (saying why) when nobody is left to evaluate. */
export function splitDataset(ds: EvalDataset, protocol: SplitProtocol): EvalSplit {
  const data = ds.interactions;
  const n = data.users.length;
  if (n === 0) throw noUsers(protocol, 'the data set has no positive interaction (rentals, purchases or rated reviews)');
  const firsts = firstOccurrences(data);
  const inTrain = protocol.name === 'global-time' ? beforeCutoff(data.ts, protocol.cutoff) : userTimeTrain(data, firsts);
  const trainKeep: number[] = [];
  for (let k = 0; k < n; k++) if (firsts[k] && inTrain[k]) trainKeep.push(k);
  if (trainKeep.length === 0) throw noUsers(protocol, whyNoTrain(protocol, data.ts));
  const { data: trainData, oldItemOf } = subsetInteractions(data, Int32Array.from(trainKeep));
  const inVocab = new Uint8Array(data.itemIds.length);
  for (const i of oldItemOf) inVocab[i] = 1;

  // per member (old user index): train items and relevant test items, as old item indexes
  const trainItemsOf = new Map<number, Set<number>>();
  const lastTrainOf = new Map<number, number>();
  for (const k of trainKeep) {
    setOf(trainItemsOf, data.users[k]).add(data.items[k]);
    if (!(data.ts[k] <= (lastTrainOf.get(data.users[k]) ?? -Infinity))) lastTrainOf.set(data.users[k], data.ts[k]);
  }
  const relevantOf = new Map<number, Set<number>>();
  let testRows = 0;
  for (let k = 0; k < n; k++) {
    if (!firsts[k] || inTrain[k]) continue;
    testRows++;
    const seen = trainItemsOf.get(data.users[k]);
    if (seen && inVocab[data.items[k]] && !seen.has(data.items[k])) setOf(relevantOf, data.users[k]).add(data.items[k]);
  }
  const users: EvalUser[] = [...relevantOf.keys()].sort((a, b) => a - b).map((u) => ({
    userId: data.userIds[u],
    trainItems: new Set([...(trainItemsOf.get(u) ?? [])].map((i) => data.itemIds[i])),
    relevant: new Set([...(relevantOf.get(u) ?? [])].map((i) => data.itemIds[i])),
    asOf: protocol.name === 'global-time' ? protocol.cutoff : (lastTrainOf.get(u) as number),
  }));
  if (users.length === 0) throw noUsers(protocol, whyNoRelevant(protocol, data.ts, testRows));

  let trainRows = 0;
  let trainEnd = -Infinity;
  if (protocol.name === 'global-time') {
    for (let k = 0; k < n; k++) if (data.ts[k] < protocol.cutoff) trainRows++;
    trainEnd = protocol.cutoff;
  } else {
    const trainPairs = new Set(trainKeep.map((k) => pairKey(data.users[k], data.items[k], data.itemIds.length)));
    for (let k = 0; k < n; k++) if (trainPairs.has(pairKey(data.users[k], data.items[k], data.itemIds.length))) trainRows++;
    for (let r = 0; r < trainData.ts.length; r++) trainEnd = Math.max(trainEnd, trainData.ts[r]);
  }
  const train: TrainInput = { interactions: trainData };
  if (ds.items) train.items = subsetItemFeatures(ds.items, oldItemOf);
  const { first: dataStart, last: dataEnd } = timeRange(data.ts);
  return { protocol, train, trainRows, users, trainEnd, dataStart, dataEnd };
}

/** The protocol as a command line would name it: `global-time --cutoff 2017-07-01`, `user-time`. */
export function describeProtocol(protocol: SplitProtocol): string {
  return protocol.name === 'global-time' ? `global-time --cutoff ${formatDate(protocol.cutoff)}` : protocol.name;
}

/** YYYY-MM-DD for a UTC midnight, else the full ISO-8601 time. */
export function formatDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** Row order by (time, input order). */
function timeOrder(ts: Float64Array): Int32Array {
  const order = Int32Array.from({ length: ts.length }, (_, k) => k);
  return order.sort((a, b) => ts[a] - ts[b] || a - b);
}

function pairKey(u: number, i: number, nItems: number): number {
  return u * nItems + i;
}

/** 1 for the row that is its (member, item) pair's first occurrence in (time, input order). */
function firstOccurrences(data: { users: Int32Array; items: Int32Array; ts: Float64Array; itemIds: string[] }): Uint8Array {
  const firsts = new Uint8Array(data.users.length);
  const seen = new Set<number>();
  for (const k of timeOrder(data.ts)) {
    const key = pairKey(data.users[k], data.items[k], data.itemIds.length);
    if (seen.has(key)) continue;
    seen.add(key);
    firsts[k] = 1;
  }
  return firsts;
}

function beforeCutoff(ts: Float64Array, cutoff: number): Uint8Array {
  return Uint8Array.from(ts, (t) => (t < cutoff ? 1 : 0));
}

/** user-time: 1 for rows kept in train, 0 for the held-out last max(1, floor(0.2·n)) of members with n ≥ 5. */
function userTimeTrain(data: { users: Int32Array; ts: Float64Array; userIds: string[] }, firsts: Uint8Array): Uint8Array {
  const inTrain = new Uint8Array(data.users.length).fill(1);
  const rowsOf: number[][] = Array.from({ length: data.userIds.length }, () => []);
  for (const k of timeOrder(data.ts)) if (firsts[k]) rowsOf[data.users[k]].push(k);
  for (const rows of rowsOf) {
    if (rows.length < USER_TIME_MIN_INTERACTIONS) continue;
    const held = Math.max(1, Math.floor(USER_TIME_TEST_FRACTION * rows.length));
    for (let j = rows.length - held; j < rows.length; j++) inTrain[rows[j]] = 0;
  }
  return inTrain;
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let s = map.get(key);
  if (!s) map.set(key, (s = new Set()));
  return s;
}

function timeRange(ts: Float64Array): { first: number; last: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const t of ts) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return { first, last };
}

function whyNoTrain(protocol: SplitProtocol, ts: Float64Array): string {
  const { first } = timeRange(ts);
  if (protocol.name === 'global-time') {
    return `cutoff ${formatDate(protocol.cutoff)} is at or before the first event ${formatDate(first)}: nothing to train on`;
  }
  return 'no interaction is left in train';
}

function whyNoRelevant(protocol: SplitProtocol, ts: Float64Array, testRows: number): string {
  const { last } = timeRange(ts);
  if (protocol.name === 'global-time' && testRows === 0) {
    return `cutoff ${formatDate(protocol.cutoff)} is after the last event ${formatDate(last)}: nothing to test on`;
  }
  if (protocol.name === 'user-time' && testRows === 0) {
    return `no member has ${USER_TIME_MIN_INTERACTIONS} or more distinct items, so nothing is held out`;
  }
  return `${testRows} test interactions, but none is by a member with a train interaction and of an item that is in the `
    + 'train vocabulary and new to that member';
}

function badProtocol(message: string): VitrineError {
  return new VitrineError('VITRINE_EVAL_BAD_PROTOCOL', message);
}

function noUsers(protocol: SplitProtocol, why: string): VitrineError {
  return new VitrineError('VITRINE_EVAL_NO_USERS', `${describeProtocol(protocol)} leaves no member to evaluate: ${why}`);
}
