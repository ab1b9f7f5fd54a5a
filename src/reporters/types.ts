/** The reporter interface: optional hooks the runner calls; reporters print, never run anything. */
import type { CheckDef, CheckResult, RunReport } from '../runner/types.js';

/** What a reporter learns when a run starts. */
export interface RunStart {
  spec: RunReport['spec'];
  url: string;
  startedAt: string;
  checks: Pick<CheckDef, 'id' | 'category' | 'level' | 'description'>[];
  strict: boolean;
  timeoutMs: number;
  observeMs: number;
}

/** How far a long observation is. */
export interface ObservationProgress {
  elapsedMs: number;
  observeMs: number;
  /** Server frames received on the observation connection so far. */
  frames: number;
  /** Server frames per second over the last interval. */
  perSecond: number;
  /** Deviations the stream checks have recorded so far (every occurrence, all kinds). */
  deviations: number;
}

/** Hooks of a reporter, each optional. Results arrive in registry order. */
export interface Reporter {
  onRunStart?(run: RunStart): void | Promise<void>;
  onCheckStart?(check: Pick<CheckDef, 'id' | 'category' | 'level' | 'description'>): void | Promise<void>;
  onCheckResult?(result: CheckResult): void | Promise<void>;
  /** Every few seconds of a long observation (--observe over 10 s, by default): how far it is. */
  onProgress?(progress: ObservationProgress): void | Promise<void>;
  onRunEnd?(report: RunReport): void | Promise<void>;
}

/** Where a reporter writes. */
export interface ReporterOutput {
  write(text: string): void;
  /** Whether the output is a terminal (for colours). */
  isTTY?: boolean;
}

/** Builds a reporter writing to an output. */
export type ReporterFactory = (out: ReporterOutput) => Reporter;
