/**
 * Aragora debate stream (`ws://localhost:8765/ws`, also `/`; production `wss://api.aragora.ai/ws`).
 *
 * Source: the Aragora "WebSocket Events Reference" (shared/seeds/003), first part. Stream events
 * use the `StreamEvent` envelope `{type, data, timestamp, round?, agent?, seq?, agent_seq?, loop_id?}`;
 * control messages (`connection_info`, `loop_list`, `sync`, `ack`, `error`, `auth_revoked`) are
 * `{type, data}`. The client sends `get_loops`, `user_vote`, `user_suggestion` and
 * `wisdom_submission`. Events the document names without a payload have `data` as an open object.
 */

/** A JSON object with any fields. */
export type JsonObject = { [key: string]: unknown };

/** "Stream events (emitted by `SyncEventEmitter`) share a common envelope". */
export interface AragoraEnvelope {
  /** Event type name (a `StreamEventType` value). */
  type: string;
  /** Event-specific payload. */
  data: JsonObject;
  /** "`timestamp` is epoch seconds (float)." */
  timestamp: number;
  /**
   * Debate round; "populated when relevant".
   * @TJS-type integer
   */
  round?: number;
  /** Agent name, e.g. `anthropic-api`; "populated when relevant". */
  agent?: string;
  /**
   * Sequence number of the event on the stream, e.g. `42`. Shown in the envelope example; the
   * document's dated event examples omit it, so it is optional.
   * @TJS-type integer
   */
  seq?: number;
  /**
   * Per-agent sequence number, e.g. `7`; "populated when relevant".
   * @TJS-type integer
   */
  agent_seq?: number;
  /** The debate/loop, e.g. `loop_abc123`; "present when the emitter is scoped to a debate/loop". */
  loop_id?: string;
}

/** A failure record in `consensus.data.agent_failures` ("Each failure record includes"). */
export interface AgentFailureRecord {
  /** Debate phase of the failure, e.g. `proposal`. */
  phase: string;
  /** Kind of failure, e.g. `timeout` (an example value, not an enum). */
  error_type: string;
  /** Failure message, e.g. `Agent response was empty`. */
  message: string;
  /** The agent's provider, e.g. `openai`. */
  provider: string;
  /** When the failure happened: epoch seconds (float). */
  timestamp: number;
}

// ---------------------------------------------------------------------------------------------
// Control messages ("Initial Messages"; replies to client requests). Exempt from the envelope.
// ---------------------------------------------------------------------------------------------

/** Sent first on connection: "auth and client metadata". */
export interface ConnectionInfoEvent {
  type: 'connection_info';
  data: {
    /** Whether the connection presented a valid token. */
    authenticated: boolean;
    /** Identifier of this client, e.g. `abc123...` (shortened). */
    client_id: string;
    /** Whether this client may send writes (`user_vote`, `user_suggestion`, `wisdom_submission`). */
    write_access: boolean;
  };
}

/**
 * A cached loop state, sent on connection after `loop_list` (one `sync` per cached loop).
 * "`sync` for each cached loop state (DebateStreamServer on port 8765 only)". The cached state
 * is not documented: `data` is an open object.
 */
export interface SyncStateEvent {
  type: 'sync';
  /** A cached loop state; shape not documented. */
  data: JsonObject;
}

/** Reply accepting a `user_vote`, `user_suggestion` or `wisdom_submission`. Payload not documented. */
export interface AckEvent {
  type: 'ack';
  /** Acknowledgement details; not documented. */
  data: JsonObject;
}

/** Reply to a write when the connection's token has been revoked. Payload not documented. */
export interface AuthRevokedEvent {
  type: 'auth_revoked';
  /** Details; not documented. */
  data: JsonObject;
}

/** Debate lifecycle: a debate started (payload from "Common Event Payloads", emitted by `create_arena_hooks()`). */
export interface DebateStartEvent extends AragoraEnvelope {
  type: 'debate_start';
  data: {
    /** The debate task, e.g. the question being debated. */
    task: string;
    /** Names of the agents taking part, e.g. `["a", "b"]`. */
    agents: string[];
  };
}

/** Debate lifecycle: a debate round started. */
export interface RoundStartEvent extends AragoraEnvelope {
  type: 'round_start';
  data: {
    /**
     * The round number, e.g. `1`.
     * @TJS-type integer
     */
    round: number;
  };
}

/** Debate lifecycle: a message from an agent (the agent is in the envelope's `agent`). */
export interface AgentMessageEvent extends AragoraEnvelope {
  type: 'agent_message';
  data: {
    /** The message text. */
    content: string;
    /** The message's role in the debate, e.g. `proposal` (an example value, not an enum). */
    role: string;
  };
}

/** Debate lifecycle: an agent failed (e.g. timed out) during a debate phase. */
export interface AgentErrorEvent extends AragoraEnvelope {
  type: 'agent_error';
  data: {
    /** Kind of failure, e.g. `timeout` (an example value, not an enum). */
    error_type: string;
    /** Human-readable error message. */
    message: string;
    /** Whether the debate can continue despite the error. */
    recoverable: boolean;
    /** Debate phase in which the error occurred, e.g. `proposal`. */
    phase: string;
  };
}

/** Debate lifecycle: an agent's critique of another agent's contribution. */
export interface CritiqueEvent extends AragoraEnvelope {
  type: 'critique';
  data: {
    /** What is criticised (the target agent or proposal). */
    target: string;
    /** The issues found. */
    issues: string[];
    /** Severity of the critique, e.g. `0.4`. */
    severity: number;
    /** The critique text. */
    content: string;
  };
}

/** Debate lifecycle: an agent's vote. */
export interface VoteEvent extends AragoraEnvelope {
  type: 'vote';
  data: {
    /** What the agent voted for. */
    vote: string;
    /** The agent's confidence in its vote, e.g. `0.72`. */
    confidence: number;
  };
}

/**
 * Debate lifecycle: the consensus outcome, optionally with `status` and `agent_failures`.
 * "Consensus events may include `status` and `agent_failures`" (Agent Failure Tracking).
 */
export interface ConsensusEvent extends AragoraEnvelope {
  type: 'consensus';
  data: {
    /** Whether consensus was reached. */
    reached: boolean;
    /** Confidence in the consensus, e.g. `0.88`. */
    confidence: number;
    /** The agreed answer, e.g. `Use token bucket`. */
    answer: string;
    /** "`consensus_reached`, `completed`, or `insufficient_participation`" (the document's closed list). */
    status?: 'consensus_reached' | 'completed' | 'insufficient_participation';
    /** "Map of agent → list of failure records". */
    agent_failures?: { [agent: string]: AgentFailureRecord[] };
  };
}

/** Debate lifecycle: the debate ended. */
export interface DebateEndEvent extends AragoraEnvelope {
  type: 'debate_end';
  data: {
    /** Duration of the debate in seconds, e.g. `42.2`. */
    duration: number;
    /**
     * Number of rounds held, e.g. `3`.
     * @TJS-type integer
     */
    rounds: number;
  };
}

/** Token streaming: `token_start`. No payload is documented: `data` is an open object. */
export interface TokenStartEvent extends AragoraEnvelope {
  type: 'token_start';
}

/** Token streaming: `token_delta`. No payload is documented: `data` is an open object. */
export interface TokenDeltaEvent extends AragoraEnvelope {
  type: 'token_delta';
}

/** Token streaming: `token_end`. No payload is documented: `data` is an open object. */
export interface TokenEndEvent extends AragoraEnvelope {
  type: 'token_end';
}

/** Nomic loop: `cycle_start`. No payload is documented: `data` is an open object. */
export interface CycleStartEvent extends AragoraEnvelope {
  type: 'cycle_start';
}

/** Nomic loop: `cycle_end`. No payload is documented: `data` is an open object. */
export interface CycleEndEvent extends AragoraEnvelope {
  type: 'cycle_end';
}

/** Nomic loop: `phase_start`. No payload is documented: `data` is an open object. */
export interface PhaseStartEvent extends AragoraEnvelope {
  type: 'phase_start';
}

/** Nomic loop: `phase_end`. No payload is documented: `data` is an open object. */
export interface PhaseEndEvent extends AragoraEnvelope {
  type: 'phase_end';
}

/** Nomic loop: `task_start`. No payload is documented: `data` is an open object. */
export interface TaskStartEvent extends AragoraEnvelope {
  type: 'task_start';
}

/** Nomic loop: `task_complete`. No payload is documented: `data` is an open object. */
export interface TaskCompleteEvent extends AragoraEnvelope {
  type: 'task_complete';
}

/** Nomic loop: `task_retry`. No payload is documented: `data` is an open object. */
export interface TaskRetryEvent extends AragoraEnvelope {
  type: 'task_retry';
}

/** Nomic loop: `verification_start`. No payload is documented: `data` is an open object. */
export interface VerificationStartEvent extends AragoraEnvelope {
  type: 'verification_start';
}

/** Nomic loop: `verification_result`. No payload is documented: `data` is an open object. */
export interface VerificationResultEvent extends AragoraEnvelope {
  type: 'verification_result';
}

/** Nomic loop: `commit`. No payload is documented: `data` is an open object. */
export interface CommitEvent extends AragoraEnvelope {
  type: 'commit';
}

/** Nomic loop: `backup_created`. No payload is documented: `data` is an open object. */
export interface BackupCreatedEvent extends AragoraEnvelope {
  type: 'backup_created';
}

/** Nomic loop: `backup_restored`. No payload is documented: `data` is an open object. */
export interface BackupRestoredEvent extends AragoraEnvelope {
  type: 'backup_restored';
}

/**
 * The stream envelope's fields, all optional: for the messages that are both a control reply
 * (no envelope) and a stream event (with it), `error` and `loop_list`.
 */
export interface AragoraOptionalEnvelope {
  /** Epoch seconds (float); present when sent as a stream event. */
  timestamp?: number;
  /**
   * Round number, when relevant.
   * @TJS-type integer
   */
  round?: number;
  /** Agent name, when relevant. */
  agent?: string;
  /**
   * Global sequence number of a stream event.
   * @TJS-type integer
   */
  seq?: number;
  /**
   * Per-agent sequence number, when relevant.
   * @TJS-type integer
   */
  agent_seq?: number;
  /** The debate/loop, when the emitter is scoped to one. */
  loop_id?: string;
}

/**
 * `error`: a Nomic loop stream event and the control reply to a refused or invalid request.
 * "The server replies with `ack`, `error`, or `auth_revoked`". One wire name, one schema: the
 * envelope fields are optional here (a control reply need not carry them) and the message is
 * exempt from the envelope check. No payload is documented: `data` is an open object.
 */
export interface AragoraErrorEvent extends AragoraOptionalEnvelope {
  type: 'error';
  /** Error details; not documented. */
  data: JsonObject;
}

/** Nomic loop: `log_message`. No payload is documented: `data` is an open object. */
export interface LogMessageEvent extends AragoraEnvelope {
  type: 'log_message';
}

/** Multi-loop management: `loop_register`. No payload is documented: `data` is an open object. */
export interface LoopRegisterEvent extends AragoraEnvelope {
  type: 'loop_register';
}

/** Multi-loop management: `loop_unregister`. No payload is documented: `data` is an open object. */
export interface LoopUnregisterEvent extends AragoraEnvelope {
  type: 'loop_unregister';
}

/**
 * `loop_list`: the active loops/debates, on connection, in reply to `get_loops`, or as a stream event.
 * Listed both as an initial control message and as a Multi-loop management stream event. One
 * wire name, one schema: the envelope fields are optional and the message is exempt from the
 * envelope check. The document does not show the payload: `data` is an open object. "Use
 * `loop_list` and `sync` control messages to seed UI state before processing stream events."
 */
export interface LoopListEvent extends AragoraOptionalEnvelope {
  type: 'loop_list';
  /** The active loops/debates; shape not documented. */
  data: JsonObject;
}

/** Audience participation: `user_vote`. Same wire name as the client message `user_vote`; this is the stream event. No payload is documented: `data` is an open object. */
export interface UserVoteEvent extends AragoraEnvelope {
  type: 'user_vote';
}

/** Audience participation: `user_suggestion`. Same wire name as the client message `user_suggestion`; this is the stream event. No payload is documented: `data` is an open object. */
export interface UserSuggestionEvent extends AragoraEnvelope {
  type: 'user_suggestion';
}

/** Audience participation: `audience_summary`. No payload is documented: `data` is an open object. */
export interface AudienceSummaryEvent extends AragoraEnvelope {
  type: 'audience_summary';
}

/**
 * Audience participation: aggregated audience metrics, emitted after a `user_vote`.
 * "Audience metrics emitted after `user_vote` look like" the example; a stream event, not a reply.
 */
export interface AudienceMetricsEvent extends AragoraEnvelope {
  type: 'audience_metrics';
  data: {
    /** Vote count per choice, e.g. `{"Option A": 3}`. */
    votes: { [choice: string]: number };
    /** Intensity-weighted votes per choice, e.g. `{"Option A": 4.5}`. */
    weighted_votes: { [choice: string]: number };
    /**
     * Number of suggestions.
     * @TJS-type integer
     */
    suggestions: number;
    /**
     * Total number of audience messages.
     * @TJS-type integer
     */
    total: number;
    /** Per choice, the number of votes at each intensity level (keys are intensity levels as strings). */
    histograms: { [choice: string]: { [intensity: string]: number } };
    /** Number of votes at each intensity (conviction) level, keys as strings. */
    conviction_distribution: { [intensity: string]: number };
  };
}

/** Audience participation: `audience_drain`. No payload is documented: `data` is an open object. */
export interface AudienceDrainEvent extends AragoraEnvelope {
  type: 'audience_drain';
}

/** Memory & learning: `memory_recall`. No payload is documented: `data` is an open object. */
export interface MemoryRecallEvent extends AragoraEnvelope {
  type: 'memory_recall';
}

/** Memory & learning: `insight_extracted`. No payload is documented: `data` is an open object. */
export interface InsightExtractedEvent extends AragoraEnvelope {
  type: 'insight_extracted';
}

/** Rankings & leaderboard: `match_recorded`. No payload is documented: `data` is an open object. */
export interface MatchRecordedEvent extends AragoraEnvelope {
  type: 'match_recorded';
}

/** Rankings & leaderboard: `leaderboard_update`. No payload is documented: `data` is an open object. */
export interface LeaderboardUpdateEvent extends AragoraEnvelope {
  type: 'leaderboard_update';
}

/** Rankings & leaderboard: `grounded_verdict`. No payload is documented: `data` is an open object. */
export interface GroundedVerdictEvent extends AragoraEnvelope {
  type: 'grounded_verdict';
}

/** Rankings & leaderboard: `moment_detected`. No payload is documented: `data` is an open object. */
export interface MomentDetectedEvent extends AragoraEnvelope {
  type: 'moment_detected';
}

/** Rankings & leaderboard: `agent_elo_updated`. No payload is documented: `data` is an open object. */
export interface AgentEloUpdatedEvent extends AragoraEnvelope {
  type: 'agent_elo_updated';
}

/** Claim verification: `claim_verification_result`. No payload is documented: `data` is an open object. */
export interface ClaimVerificationResultEvent extends AragoraEnvelope {
  type: 'claim_verification_result';
}

/** Claim verification: `formal_verification_result`. No payload is documented: `data` is an open object. */
export interface FormalVerificationResultEvent extends AragoraEnvelope {
  type: 'formal_verification_result';
}

/** Memory tiers: `memory_tier_promotion`. No payload is documented: `data` is an open object. */
export interface MemoryTierPromotionEvent extends AragoraEnvelope {
  type: 'memory_tier_promotion';
}

/** Memory tiers: `memory_tier_demotion`. No payload is documented: `data` is an open object. */
export interface MemoryTierDemotionEvent extends AragoraEnvelope {
  type: 'memory_tier_demotion';
}

/** Graph debates: `graph_node_added`. No payload is documented: `data` is an open object. */
export interface GraphNodeAddedEvent extends AragoraEnvelope {
  type: 'graph_node_added';
}

/** Graph debates: `graph_branch_created`. No payload is documented: `data` is an open object. */
export interface GraphBranchCreatedEvent extends AragoraEnvelope {
  type: 'graph_branch_created';
}

/** Graph debates: `graph_branch_merged`. No payload is documented: `data` is an open object. */
export interface GraphBranchMergedEvent extends AragoraEnvelope {
  type: 'graph_branch_merged';
}

/** Position tracking: `flip_detected`. No payload is documented: `data` is an open object. */
export interface FlipDetectedEvent extends AragoraEnvelope {
  type: 'flip_detected';
}

/** Feature integration: `trait_emerged`. No payload is documented: `data` is an open object. */
export interface TraitEmergedEvent extends AragoraEnvelope {
  type: 'trait_emerged';
}

/** Feature integration: `risk_warning`. No payload is documented: `data` is an open object. */
export interface RiskWarningEvent extends AragoraEnvelope {
  type: 'risk_warning';
}

/** Feature integration: `evidence_found`. No payload is documented: `data` is an open object. */
export interface EvidenceFoundEvent extends AragoraEnvelope {
  type: 'evidence_found';
}

/** Feature integration: `calibration_update`. No payload is documented: `data` is an open object. */
export interface CalibrationUpdateEvent extends AragoraEnvelope {
  type: 'calibration_update';
}

/** Feature integration: `genesis_evolution`. No payload is documented: `data` is an open object. */
export interface GenesisEvolutionEvent extends AragoraEnvelope {
  type: 'genesis_evolution';
}

/** Feature integration: `training_data_exported`. No payload is documented: `data` is an open object. */
export interface TrainingDataExportedEvent extends AragoraEnvelope {
  type: 'training_data_exported';
}

/** Analytics: `uncertainty_analysis`. No payload is documented: `data` is an open object. */
export interface UncertaintyAnalysisEvent extends AragoraEnvelope {
  type: 'uncertainty_analysis';
}

/** Rhetorical analysis: `rhetorical_observation`. No payload is documented: `data` is an open object. */
export interface RhetoricalObservationEvent extends AragoraEnvelope {
  type: 'rhetorical_observation';
}

/** Trickster events: `hollow_consensus`. No payload is documented: `data` is an open object. */
export interface HollowConsensusEvent extends AragoraEnvelope {
  type: 'hollow_consensus';
}

/** Trickster events: `trickster_intervention`. No payload is documented: `data` is an open object. */
export interface TricksterInterventionEvent extends AragoraEnvelope {
  type: 'trickster_intervention';
}

/** Breakpoints: `breakpoint`. No payload is documented: `data` is an open object. */
export interface BreakpointEvent extends AragoraEnvelope {
  type: 'breakpoint';
}

/** Breakpoints: `breakpoint_resolved`. No payload is documented: `data` is an open object. */
export interface BreakpointResolvedEvent extends AragoraEnvelope {
  type: 'breakpoint_resolved';
}

/** Mood/sentiment: `mood_detected`. No payload is documented: `data` is an open object. */
export interface MoodDetectedEvent extends AragoraEnvelope {
  type: 'mood_detected';
}

/** Mood/sentiment: `mood_shift`. No payload is documented: `data` is an open object. */
export interface MoodShiftEvent extends AragoraEnvelope {
  type: 'mood_shift';
}

/** Mood/sentiment: `debate_energy`. No payload is documented: `data` is an open object. */
export interface DebateEnergyEvent extends AragoraEnvelope {
  type: 'debate_energy';
}

/** Capability probes: `probe_start`. No payload is documented: `data` is an open object. */
export interface ProbeStartEvent extends AragoraEnvelope {
  type: 'probe_start';
}

/** Capability probes: `probe_result`. No payload is documented: `data` is an open object. */
export interface ProbeResultEvent extends AragoraEnvelope {
  type: 'probe_result';
}

/** Capability probes: `probe_complete`. No payload is documented: `data` is an open object. */
export interface ProbeCompleteEvent extends AragoraEnvelope {
  type: 'probe_complete';
}

/** Deep audit: `audit_start`. No payload is documented: `data` is an open object. */
export interface AuditStartEvent extends AragoraEnvelope {
  type: 'audit_start';
}

/** Deep audit: `audit_round`. No payload is documented: `data` is an open object. */
export interface AuditRoundEvent extends AragoraEnvelope {
  type: 'audit_round';
}

/** Deep audit: `audit_finding`. No payload is documented: `data` is an open object. */
export interface AuditFindingEvent extends AragoraEnvelope {
  type: 'audit_finding';
}

/** Deep audit: `audit_cross_exam`. No payload is documented: `data` is an open object. */
export interface AuditCrossExamEvent extends AragoraEnvelope {
  type: 'audit_cross_exam';
}

/** Deep audit: `audit_verdict`. No payload is documented: `data` is an open object. */
export interface AuditVerdictEvent extends AragoraEnvelope {
  type: 'audit_verdict';
}

/** Telemetry: `telemetry_thought`. No payload is documented: `data` is an open object. */
export interface TelemetryThoughtEvent extends AragoraEnvelope {
  type: 'telemetry_thought';
}

/** Telemetry: `telemetry_capability`. No payload is documented: `data` is an open object. */
export interface TelemetryCapabilityEvent extends AragoraEnvelope {
  type: 'telemetry_capability';
}

/** Telemetry: `telemetry_redaction`. No payload is documented: `data` is an open object. */
export interface TelemetryRedactionEvent extends AragoraEnvelope {
  type: 'telemetry_redaction';
}

/** Telemetry: `telemetry_diagnostic`. No payload is documented: `data` is an open object. */
export interface TelemetryDiagnosticEvent extends AragoraEnvelope {
  type: 'telemetry_diagnostic';
}

/** Gauntlet: `gauntlet_start`. No payload is documented: `data` is an open object. */
export interface GauntletStartEvent extends AragoraEnvelope {
  type: 'gauntlet_start';
}

/** Gauntlet: `gauntlet_phase`. No payload is documented: `data` is an open object. */
export interface GauntletPhaseEvent extends AragoraEnvelope {
  type: 'gauntlet_phase';
}

/** Gauntlet: `gauntlet_agent_active`. No payload is documented: `data` is an open object. */
export interface GauntletAgentActiveEvent extends AragoraEnvelope {
  type: 'gauntlet_agent_active';
}

/** Gauntlet: `gauntlet_attack`. No payload is documented: `data` is an open object. */
export interface GauntletAttackEvent extends AragoraEnvelope {
  type: 'gauntlet_attack';
}

/** Gauntlet: `gauntlet_finding`. No payload is documented: `data` is an open object. */
export interface GauntletFindingEvent extends AragoraEnvelope {
  type: 'gauntlet_finding';
}

/** Gauntlet: `gauntlet_probe`. No payload is documented: `data` is an open object. */
export interface GauntletProbeEvent extends AragoraEnvelope {
  type: 'gauntlet_probe';
}

/** Gauntlet: `gauntlet_verification`. No payload is documented: `data` is an open object. */
export interface GauntletVerificationEvent extends AragoraEnvelope {
  type: 'gauntlet_verification';
}

/** Gauntlet: `gauntlet_risk`. No payload is documented: `data` is an open object. */
export interface GauntletRiskEvent extends AragoraEnvelope {
  type: 'gauntlet_risk';
}

/** Gauntlet: `gauntlet_progress`. No payload is documented: `data` is an open object. */
export interface GauntletProgressEvent extends AragoraEnvelope {
  type: 'gauntlet_progress';
}

/** Gauntlet: `gauntlet_verdict`. No payload is documented: `data` is an open object. */
export interface GauntletVerdictEvent extends AragoraEnvelope {
  type: 'gauntlet_verdict';
}

/** Gauntlet: `gauntlet_complete`. No payload is documented: `data` is an open object. */
export interface GauntletCompleteEvent extends AragoraEnvelope {
  type: 'gauntlet_complete';
}

/** Explainability (2026-01-20): `explainability_started`. "Explanation generation started for debate". No payload is documented: `data` is an open object. */
export interface ExplainabilityStartedEvent extends AragoraEnvelope {
  type: 'explainability_started';
}

/** Explainability: "Contributing factors have been computed". */
export interface ExplainabilityFactorsEvent extends AragoraEnvelope {
  type: 'explainability_factors';
  data: {
    /** The debate being explained, e.g. `debate-123`. */
    debate_id: string;
    /**
     * Number of contributing factors, e.g. `8`.
     * @TJS-type integer
     */
    factors_count: number;
    /** The factor that contributed most. */
    top_factor: {
      /** Factor name, e.g. `evidence_quality`. */
      name: string;
      /** Its contribution, e.g. `0.35`. */
      contribution: number;
    };
  };
}

/** Explainability (2026-01-20): `explainability_counterfactual`. "Counterfactual scenario generated". No payload is documented: `data` is an open object. */
export interface ExplainabilityCounterfactualEvent extends AragoraEnvelope {
  type: 'explainability_counterfactual';
}

/** Explainability (2026-01-20): `explainability_provenance`. "Decision provenance chain built". No payload is documented: `data` is an open object. */
export interface ExplainabilityProvenanceEvent extends AragoraEnvelope {
  type: 'explainability_provenance';
}

/** Explainability (2026-01-20): `explainability_narrative`. "Natural language narrative ready". No payload is documented: `data` is an open object. */
export interface ExplainabilityNarrativeEvent extends AragoraEnvelope {
  type: 'explainability_narrative';
}

/** Explainability (2026-01-20): `explainability_complete`. "Full explanation ready". No payload is documented: `data` is an open object. */
export interface ExplainabilityCompleteEvent extends AragoraEnvelope {
  type: 'explainability_complete';
}

/** Workflow templates (2026-01-20): `template_execution_started`. "Template execution began". No payload is documented: `data` is an open object. */
export interface TemplateExecutionStartedEvent extends AragoraEnvelope {
  type: 'template_execution_started';
}

/** Workflow templates: "Progress update (percentage, current step)". */
export interface TemplateExecutionProgressEvent extends AragoraEnvelope {
  type: 'template_execution_progress';
  data: {
    /** The execution, e.g. `exec-456`. */
    execution_id: string;
    /** The template being executed, e.g. `security/code-review`. */
    template_id: string;
    /** Progress in percent, e.g. `45`. */
    progress_pct: number;
    /** The step being executed, e.g. `vulnerability_scan`. */
    current_step: string;
    /**
     * Number of steps completed, e.g. `3`.
     * @TJS-type integer
     */
    steps_completed: number;
    /**
     * Total number of steps, e.g. `7`.
     * @TJS-type integer
     */
    steps_total: number;
  };
}

/** Workflow templates (2026-01-20): `template_execution_step`. "Individual step completed". No payload is documented: `data` is an open object. */
export interface TemplateExecutionStepEvent extends AragoraEnvelope {
  type: 'template_execution_step';
}

/** Workflow templates (2026-01-20): `template_execution_complete`. "Execution finished successfully". No payload is documented: `data` is an open object. */
export interface TemplateExecutionCompleteEvent extends AragoraEnvelope {
  type: 'template_execution_complete';
}

/** Workflow templates (2026-01-20): `template_execution_failed`. "Execution failed with error". No payload is documented: `data` is an open object. */
export interface TemplateExecutionFailedEvent extends AragoraEnvelope {
  type: 'template_execution_failed';
}

/** Workflow templates (2026-01-20): `template_instantiated`. "New template created from pattern". No payload is documented: `data` is an open object. */
export interface TemplateInstantiatedEvent extends AragoraEnvelope {
  type: 'template_instantiated';
}

/** Gauntlet receipts: "New receipt generated for completed gauntlet". */
export interface ReceiptGeneratedEvent extends AragoraEnvelope {
  type: 'receipt_generated';
  data: {
    /** The receipt, e.g. `receipt-789`. */
    receipt_id: string;
    /** The debate the gauntlet ran on, e.g. `debate-123`. */
    debate_id: string;
    /** The gauntlet verdict, e.g. `pass` (an example value, not an enum). */
    verdict: string;
    /** Confidence in the verdict, e.g. `0.92`. */
    confidence: number;
    /** Integrity hash of the receipt, e.g. `sha256:a1b2c3...`. */
    hash: string;
  };
}

/** Gauntlet receipts (2026-01-20): `receipt_verified`. "Receipt integrity successfully verified". No payload is documented: `data` is an open object. */
export interface ReceiptVerifiedEvent extends AragoraEnvelope {
  type: 'receipt_verified';
}

/** Gauntlet receipts (2026-01-20): `receipt_exported`. "Receipt exported to format (json/html/md/sarif)". No payload is documented: `data` is an open object. */
export interface ReceiptExportedEvent extends AragoraEnvelope {
  type: 'receipt_exported';
}

/** Gauntlet receipts (2026-01-20): `receipt_shared`. "Shareable link created for receipt". No payload is documented: `data` is an open object. */
export interface ReceiptSharedEvent extends AragoraEnvelope {
  type: 'receipt_shared';
}

/** Gauntlet receipts (2026-01-20): `receipt_integrity_failed`. "Receipt integrity verification failed". No payload is documented: `data` is an open object. */
export interface ReceiptIntegrityFailedEvent extends AragoraEnvelope {
  type: 'receipt_integrity_failed';
}

/** KM resilience: "Circuit breaker state changed". */
export interface KmCircuitBreakerStateEvent extends AragoraEnvelope {
  type: 'km_circuit_breaker_state';
  data: {
    /** The protected service, e.g. `postgres`. */
    service: string;
    /** The new breaker state, e.g. `open` (an example value, not an enum). */
    state: string;
    /** The previous breaker state, e.g. `closed`. */
    previous_state: string;
    /**
     * Number of failures that led to the change, e.g. `5`.
     * @TJS-type integer
     */
    failures: number;
    /**
     * When recovery is attempted: an ISO 8601 date-time, e.g. `2026-01-20T11:30:00Z`.
     * @format date-time
     */
    recovery_at: string;
  };
}

/** KM resilience (2026-01-20): `km_retry_exhausted`. "All retries exhausted for operation". No payload is documented: `data` is an open object. */
export interface KmRetryExhaustedEvent extends AragoraEnvelope {
  type: 'km_retry_exhausted';
}

/** KM resilience (2026-01-20): `km_cache_invalidated`. "Cache was invalidated". No payload is documented: `data` is an open object. */
export interface KmCacheInvalidatedEvent extends AragoraEnvelope {
  type: 'km_cache_invalidated';
}

/** KM resilience (2026-01-20): `km_integrity_error`. "Data integrity error detected". No payload is documented: `data` is an open object. */
export interface KmIntegrityErrorEvent extends AragoraEnvelope {
  type: 'km_integrity_error';
}

// ---------------------------------------------------------------------------------------------
// Client → server messages.
// ---------------------------------------------------------------------------------------------

/** "Request loop list": answered with `loop_list`. */
export interface GetLoopsMessage {
  type: 'get_loops';
}

/** "Submit a vote" (a write: needs write access). */
export interface UserVoteMessage {
  type: 'user_vote';
  /** The loop/debate voted on, e.g. `loop_abc123`. */
  loop_id: string;
  /** The vote. */
  payload: {
    /** The chosen option, e.g. `Option A`. */
    choice: string;
    /** Strength of conviction, e.g. `7`. */
    intensity: number;
  };
}

/** "Submit a suggestion" (a write: needs write access). */
export interface UserSuggestionMessage {
  type: 'user_suggestion';
  /** The loop/debate, e.g. `loop_abc123`. */
  loop_id: string;
  /** The suggestion. */
  payload: {
    /** Suggestion text, e.g. `Consider a phased rollout for safety.`. */
    text: string;
  };
}

/** "Submit audience wisdom" (a write: needs write access). */
export interface WisdomSubmissionMessage {
  type: 'wisdom_submission';
  /** The loop/debate, e.g. `loop_abc123`. */
  loop_id: string;
  /** The wisdom text, e.g. `Start with a rollback plan and chaos testing.`. */
  text: string;
}

/** Server → client messages by wire name: the control messages, then every stream event. */
export interface ServerEvents {
  connection_info: ConnectionInfoEvent;
  loop_list: LoopListEvent;
  sync: SyncStateEvent;
  ack: AckEvent;
  error: AragoraErrorEvent;
  auth_revoked: AuthRevokedEvent;
  debate_start: DebateStartEvent;
  round_start: RoundStartEvent;
  agent_message: AgentMessageEvent;
  agent_error: AgentErrorEvent;
  critique: CritiqueEvent;
  vote: VoteEvent;
  consensus: ConsensusEvent;
  debate_end: DebateEndEvent;
  token_start: TokenStartEvent;
  token_delta: TokenDeltaEvent;
  token_end: TokenEndEvent;
  cycle_start: CycleStartEvent;
  cycle_end: CycleEndEvent;
  phase_start: PhaseStartEvent;
  phase_end: PhaseEndEvent;
  task_start: TaskStartEvent;
  task_complete: TaskCompleteEvent;
  task_retry: TaskRetryEvent;
  verification_start: VerificationStartEvent;
  verification_result: VerificationResultEvent;
  commit: CommitEvent;
  backup_created: BackupCreatedEvent;
  backup_restored: BackupRestoredEvent;
  log_message: LogMessageEvent;
  loop_register: LoopRegisterEvent;
  loop_unregister: LoopUnregisterEvent;
  user_vote: UserVoteEvent;
  user_suggestion: UserSuggestionEvent;
  audience_summary: AudienceSummaryEvent;
  audience_metrics: AudienceMetricsEvent;
  audience_drain: AudienceDrainEvent;
  memory_recall: MemoryRecallEvent;
  insight_extracted: InsightExtractedEvent;
  match_recorded: MatchRecordedEvent;
  leaderboard_update: LeaderboardUpdateEvent;
  grounded_verdict: GroundedVerdictEvent;
  moment_detected: MomentDetectedEvent;
  agent_elo_updated: AgentEloUpdatedEvent;
  claim_verification_result: ClaimVerificationResultEvent;
  formal_verification_result: FormalVerificationResultEvent;
  memory_tier_promotion: MemoryTierPromotionEvent;
  memory_tier_demotion: MemoryTierDemotionEvent;
  graph_node_added: GraphNodeAddedEvent;
  graph_branch_created: GraphBranchCreatedEvent;
  graph_branch_merged: GraphBranchMergedEvent;
  flip_detected: FlipDetectedEvent;
  trait_emerged: TraitEmergedEvent;
  risk_warning: RiskWarningEvent;
  evidence_found: EvidenceFoundEvent;
  calibration_update: CalibrationUpdateEvent;
  genesis_evolution: GenesisEvolutionEvent;
  training_data_exported: TrainingDataExportedEvent;
  uncertainty_analysis: UncertaintyAnalysisEvent;
  rhetorical_observation: RhetoricalObservationEvent;
  hollow_consensus: HollowConsensusEvent;
  trickster_intervention: TricksterInterventionEvent;
  breakpoint: BreakpointEvent;
  breakpoint_resolved: BreakpointResolvedEvent;
  mood_detected: MoodDetectedEvent;
  mood_shift: MoodShiftEvent;
  debate_energy: DebateEnergyEvent;
  probe_start: ProbeStartEvent;
  probe_result: ProbeResultEvent;
  probe_complete: ProbeCompleteEvent;
  audit_start: AuditStartEvent;
  audit_round: AuditRoundEvent;
  audit_finding: AuditFindingEvent;
  audit_cross_exam: AuditCrossExamEvent;
  audit_verdict: AuditVerdictEvent;
  telemetry_thought: TelemetryThoughtEvent;
  telemetry_capability: TelemetryCapabilityEvent;
  telemetry_redaction: TelemetryRedactionEvent;
  telemetry_diagnostic: TelemetryDiagnosticEvent;
  gauntlet_start: GauntletStartEvent;
  gauntlet_phase: GauntletPhaseEvent;
  gauntlet_agent_active: GauntletAgentActiveEvent;
  gauntlet_attack: GauntletAttackEvent;
  gauntlet_finding: GauntletFindingEvent;
  gauntlet_probe: GauntletProbeEvent;
  gauntlet_verification: GauntletVerificationEvent;
  gauntlet_risk: GauntletRiskEvent;
  gauntlet_progress: GauntletProgressEvent;
  gauntlet_verdict: GauntletVerdictEvent;
  gauntlet_complete: GauntletCompleteEvent;
  explainability_started: ExplainabilityStartedEvent;
  explainability_factors: ExplainabilityFactorsEvent;
  explainability_counterfactual: ExplainabilityCounterfactualEvent;
  explainability_provenance: ExplainabilityProvenanceEvent;
  explainability_narrative: ExplainabilityNarrativeEvent;
  explainability_complete: ExplainabilityCompleteEvent;
  template_execution_started: TemplateExecutionStartedEvent;
  template_execution_progress: TemplateExecutionProgressEvent;
  template_execution_step: TemplateExecutionStepEvent;
  template_execution_complete: TemplateExecutionCompleteEvent;
  template_execution_failed: TemplateExecutionFailedEvent;
  template_instantiated: TemplateInstantiatedEvent;
  receipt_generated: ReceiptGeneratedEvent;
  receipt_verified: ReceiptVerifiedEvent;
  receipt_exported: ReceiptExportedEvent;
  receipt_shared: ReceiptSharedEvent;
  receipt_integrity_failed: ReceiptIntegrityFailedEvent;
  km_circuit_breaker_state: KmCircuitBreakerStateEvent;
  km_retry_exhausted: KmRetryExhaustedEvent;
  km_cache_invalidated: KmCacheInvalidatedEvent;
  km_integrity_error: KmIntegrityErrorEvent;
}

/** Client → server messages by wire name. */
export interface ClientMessages {
  get_loops: GetLoopsMessage;
  user_vote: UserVoteMessage;
  user_suggestion: UserSuggestionMessage;
  wisdom_submission: WisdomSubmissionMessage;
}
