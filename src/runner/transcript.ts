/**
 * Transcripts: the frames of a wire log around each occurrence of a finding, so a report can
 * show what the server sent before and after the offending frame.
 */
import type { Connection } from '../transport/types.js';
import { frameEvidence } from './findings.js';
import type { CheckResult, Occurrence, TranscriptFrame } from './types.js';

/** The frames `before` and `after` frame `index` of a wire log, the frame itself included. */
export function transcriptAround(conn: Connection, index: number, before: number, after = before): TranscriptFrame[] {
  return conn.frames.slice(Math.max(0, index - before), index + after + 1).map((f) => ({ frameIndex: f.index, at: f.at, dir: f.dir, frame: frameEvidence(f) }));
}

/** The connection holding an occurrence's frame: the one it names, else the first whose frame at that index reads the same. */
function holderOf(o: Occurrence, connections: readonly Connection[]): Connection | undefined {
  if (o.frameIndex === undefined) return undefined;
  if (o.connection) return connections.find((c) => c.label === o.connection);
  return connections.find((c) => {
    const f = c.frames.get(o.frameIndex!);
    return f !== undefined && frameEvidence(f) === o.frame;
  });
}

/**
 * A result whose occurrences carry the `n` frames before and after them from their connection's
 * wire log. `connections` lists the check's own connections first (an occurrence does not always
 * name its connection), then the run's. Occurrences whose frame is not found are left as they are.
 */
export function withTranscripts(result: CheckResult, connections: readonly Connection[], n: number): CheckResult {
  if (n <= 0 || !result.findings.length) return result;
  return {
    ...result,
    findings: result.findings.map((f) => ({
      ...f,
      occurrences: f.occurrences.map((o) => {
        const conn = holderOf(o, connections);
        return conn ? { ...o, transcript: transcriptAround(conn, o.frameIndex!, n) } : o;
      }),
    })),
  };
}
