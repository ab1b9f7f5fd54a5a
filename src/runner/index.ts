/** The runner library: declare checks, run them against a server, grade the verdicts. */
export { baselineOf, baselineStatus, BaselineError, compareBaseline, readBaseline, recordedStatus, writeBaseline, type Baseline, type BaselineOption } from './baseline.js';
export { basisOf, distinctBases, levelOf, renderBasis, TRANSPORT } from './basis.js';
export { coverageOf, nearestName, type Coverage } from './coverage.js';
export { defineCheck, NotJudged, pass, skip, verdictOf } from './define-check.js';
export { Findings, at, frameEvidence, MAX_KINDS, MAX_OCCURRENCES, type FindingsHooks } from './findings.js';
export { StreamHub, messagesOf, type MessageTap, type Received, type Role } from './stream.js';
export { fieldAt, hasField, named, namedByShape, outgoing, payloadOf, triggerPayload } from './messages.js';
export { initialMessagesFor } from './observation.js';
export { messagePath, openingMessage, performOpening, serverPingAnswer, withField, withPayloadField } from './opening.js';
export { REDACTED, redactor, redactDeep } from './redact.js';
export { DEFAULT_OBSERVE_MS, DEFAULT_TIMEOUT_MS, exitCodeOf, grade, runSuite, summarize, TokenRequiredError, UnreachableError, withBasis, type RunOptions } from './run.js';
export { SelectionError, selectChecks, splitList } from './select.js';
export { presentToken, resolveTargets, tokenOf } from './target.js';
export { transcriptAround, withTranscripts } from './transcript.js';
export type * from './types.js';
