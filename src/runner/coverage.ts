/**
 * Coverage of a run: which documented server messages the run observed, which it never saw
 * (with the client messages that could produce them), and which undocumented names arrived,
 * with the documented name each most likely stands for ("`TTS_ENDED`: did you mean `TTS_FINISHED`?").
 */
import type { Spec } from '../spec/model.js';

/** What the report says about coverage. */
export interface Coverage {
  /** Documented server messages, and how many of them were observed. */
  documented: number;
  observed: number;
  /** Documented server messages never observed, each with the client messages whose replies name it. */
  neverSeen: { name: string; triggers: string[] }[];
  /** Undocumented names received, with their counts and the nearest documented name. */
  undocumented: { name: string; count: number; didYouMean?: string }[];
}

/** The coverage of a run, from the names of the server messages it received (with their counts). */
export function coverageOf(spec: Spec, counts: ReadonlyMap<string, number>): Coverage {
  const documented = [...new Set(spec.messages.filter((m) => m.direction === 'receive').map((m) => m.name))];
  const neverSeen = documented
    .filter((n) => !counts.has(n))
    .map((name) => ({ name, triggers: [...spec.replies].filter(([, replies]) => replies.includes(name)).map(([request]) => request) }));
  const lifecycle = new Set(spec.ext.lifecycle ?? []);
  const unseen = neverSeen.map((n) => n.name);
  const undocumented = [...counts]
    .filter(([name]) => !spec.message('receive', name) && !lifecycle.has(name))
    .map(([name, count]) => {
      const guess = nearestName(name, unseen) ?? nearestName(name, documented);
      return guess ? { name, count, didYouMean: guess } : { name, count };
    });
  return { documented: documented.length, observed: documented.length - neverSeen.length, neverSeen, undocumented };
}

/** Words that name the same moment of a lifecycle in different documents. */
const SYNONYMS: string[][] = [
  ['end', 'ended', 'finish', 'finished', 'complete', 'completed', 'done', 'stop', 'stopped', 'close', 'closed'],
  ['start', 'started', 'begin', 'began', 'open', 'opened'],
  ['error', 'failed', 'failure', 'fail'],
  ['cancel', 'cancelled', 'canceled', 'abort', 'aborted'],
  ['change', 'changed', 'update', 'updated'],
  ['create', 'created', 'add', 'added', 'new'],
  ['delete', 'deleted', 'remove', 'removed'],
];
const GROUP = new Map(SYNONYMS.flatMap((words, i) => words.map((w) => [w, i] as const)));

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function sameWord(a: string, b: string): boolean {
  return a === b || (GROUP.has(a) && GROUP.get(a) === GROUP.get(b));
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/**
 * The documented name an undocumented one most likely stands for: the most words in common
 * (synonyms such as ENDED/FINISHED count), then the smallest edit distance; none when they
 * share no word and differ by more than a third of their length.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  const mine = words(name);
  let best: { name: string; shared: number; distance: number } | undefined;
  for (const c of candidates) {
    if (c === name) continue;
    const theirs = words(c);
    const shared = mine.filter((w) => theirs.some((t) => sameWord(w, t))).length;
    const distance = editDistance(name.toLowerCase(), c.toLowerCase());
    const close = distance <= Math.max(2, Math.floor(Math.max(name.length, c.length) / 3));
    const unmatched = Math.max(mine.length, theirs.length) - shared;
    if (!(close || (shared > 0 && unmatched <= 1 && shared >= Math.max(mine.length, theirs.length) - 1))) continue;
    if (!best || shared > best.shared || (shared === best.shared && distance < best.distance)) best = { name: c, shared, distance };
  }
  return best?.name;
}
