/** `defineCheck`: declares a check as data plus a `run` function. */
import type { CheckDef, Finding, Outcome } from './types.js';

const ID = /^[a-z0-9-]+\/[a-z0-9-]+$/;

/** Declares a check; validates its id against its category. */
export function defineCheck(def: CheckDef): CheckDef {
  if (!ID.test(def.id) || def.id.split('/')[0] !== def.category) {
    throw new Error(`check id "${def.id}" must be "${def.category}/<kebab-case-name>"`);
  }
  return Object.freeze(def);
}

/** The check passed. */
export function pass(note?: string): Outcome {
  return note ? { verdict: 'pass', note } : { verdict: 'pass' };
}

/** The check does not apply, or there was nothing to judge (never a pass). */
export function skip(reason: string): Outcome {
  return { verdict: 'skip', reason };
}

/** The check failed with these findings; no findings is a pass. */
export function verdictOf(findings: Finding[]): Outcome {
  return findings.length ? { verdict: 'fail', findings } : { verdict: 'pass' };
}

/**
 * Thrown by a check (or a helper it calls) that cannot judge its requirement because another
 * check's requirement failed first (e.g. the status message it reads was never sent): the check
 * is skipped with this reason, so one cause yields one finding.
 */
export class NotJudged extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotJudged';
  }
}
