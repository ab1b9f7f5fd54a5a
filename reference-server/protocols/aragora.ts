/**
 * Aragora: the audience. `user_vote` updates the connection's tally and is answered with `ack`
 * and `audience_metrics` (the fixture's `user_vote` script, with the tally as `${vars.*}`);
 * `user_suggestion` counts a suggestion. Tallies are per connection, so that every client's
 * transcript depends only on its own actions.
 */
import type { Connection } from '../connection.js';
import type { ProtocolModule } from './types.js';

interface Tally {
  votes: Record<string, number>;
  weighted_votes: Record<string, number>;
  suggestions: number;
  total: number;
  histograms: Record<string, Record<string, number>>;
  conviction_distribution: Record<string, number>;
}

function tally(conn: Connection): Tally {
  let t = conn.state.tally as Tally | undefined;
  if (!t) {
    t = { votes: {}, weighted_votes: {}, suggestions: 0, total: 0, histograms: {}, conviction_distribution: {} };
    conn.state.tally = t;
  }
  return t;
}

/** Vote weight by intensity (1-10): 0.5 + intensity / 10, so intensity 10 counts 1.5. */
export function voteWeight(intensity: number): number {
  return Math.round((0.5 + intensity / 10) * 100) / 100;
}

function vote(t: Tally, choice: string, intensity: number): void {
  const bucket = String(Math.min(10, Math.max(1, Math.round(intensity))));
  t.votes[choice] = (t.votes[choice] ?? 0) + 1;
  t.weighted_votes[choice] = Math.round(((t.weighted_votes[choice] ?? 0) + voteWeight(Number(bucket))) * 100) / 100;
  t.histograms[choice] = { ...(t.histograms[choice] ?? {}), [bucket]: (t.histograms[choice]?.[bucket] ?? 0) + 1 };
  t.conviction_distribution[bucket] = (t.conviction_distribution[bucket] ?? 0) + 1;
  t.total++;
}

function snapshot(t: Tally): Record<string, unknown> {
  return JSON.parse(JSON.stringify(t));
}

const aragora: ProtocolModule = {
  sampleVars(on) {
    if (on !== 'user_vote' && on !== 'user_suggestion') return undefined;
    const t: Tally = { votes: {}, weighted_votes: {}, suggestions: 0, total: 0, histograms: {}, conviction_distribution: {} };
    vote(t, 'Option A', 7);
    return snapshot(t);
  },
  onMessage(conn, name, payload) {
    const p = (payload ?? {}) as { payload?: { choice?: unknown; intensity?: unknown } };
    if (name === 'user_vote') {
      const t = tally(conn);
      const choice = typeof p.payload?.choice === 'string' ? p.payload.choice : String(p.payload?.choice ?? 'unknown');
      const intensity = typeof p.payload?.intensity === 'number' ? p.payload.intensity : 5;
      vote(t, choice, intensity);
      conn.runScript(name, payload, snapshot(t));
      return true;
    }
    if (name === 'user_suggestion') {
      const t = tally(conn);
      t.suggestions++;
      t.total++;
      conn.runScript(name, payload, snapshot(t));
      return true;
    }
    return false;
  },
};

export default aragora;
