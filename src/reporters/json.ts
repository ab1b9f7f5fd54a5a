/**
 * The `json` reporter: the run report as one JSON document, written when the run ends. Its
 * shape is `RunReport` (src/runner/types.ts):
 *
 *   { tool: {name, version}, spec: {id, title, version, file}, url, startedAt, durationMs,
 *     summary: {passed, failed, nonStrict, skipped, errors, total},
 *     checks: [{ id, category, level, description, requirement, quote, verdict, durationMs,
 *                reason?, findings: [{ message, expected, actual, count,
 *                  occurrences: [{frameIndex, frame, path?, schemaPath?, connection?,
                    transcript?: [{frameIndex, at, dir, frame}] }] }] }],
     baseline?: { file, updated, createdAt?, new, known, fixed, unverified } }
 *
 * `verdict` is pass | fail | non-strict | skip | error; `reason` says why a check was skipped or
 * what went wrong in the kit; `connection` names the connection of a frame that is not the
 * observation's. `transcript` (the frames around an occurrence) is present when the run kept
 * context frames (the CLI does when an html reporter is requested); `baseline` only with
 * `--baseline` (each list holds `{id, message}`; see src/runner/baseline.ts). Tokens are redacted
 * (`***`) throughout.
 */
import type { ReporterFactory } from './types.js';

/** Builds the json reporter. */
export const json: ReporterFactory = (out) => ({
  onRunEnd(report) {
    out.write(JSON.stringify(report, null, 2) + '\n');
  },
});
