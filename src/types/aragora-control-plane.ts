/**
 * Aragora control plane stream (`ws://localhost:8766/api/control-plane/stream`, also
 * `/ws/control-plane`).
 *
 * Source: the "Control Plane Stream" section of the Aragora "WebSocket Events Reference"
 * (shared/seeds/003). "The control plane provides a separate WebSocket stream for agent
 * orchestration and task lifecycle events." Every server event is `{type, timestamp, data}`;
 * the client sends `{"type": "ping"}` (answered with `{"type": "pong", "timestamp": ...}`) and,
 * in the future, `subscribe`.
 */

/** A JSON object with any fields. */
export type JsonObject = { [key: string]: unknown };

/** The shape every control plane event shows: `{type, timestamp, data}`. */
export interface ControlPlaneEnvelope {
  /** Event type name. */
  type: string;
  /** Epoch seconds (float), e.g. `1732735053.123`. */
  timestamp: number;
  /** Event-specific payload. */
  data: JsonObject;
}

/** "On connection, the server sends a `connected` event". */
export interface ConnectedEvent extends ControlPlaneEnvelope {
  type: 'connected';
  data: {
    /** Greeting, e.g. `Connected to control plane stream`. */
    message: string;
  };
}

// ---------------------------------------------------------------------------------------------
// Agent events: "Events related to agent lifecycle and status".
// ---------------------------------------------------------------------------------------------

/** "Emitted when an agent registers with the control plane." */
export interface AgentRegisteredEvent extends ControlPlaneEnvelope {
  type: 'agent_registered';
  data: {
    /** The agent, e.g. `agent-abc123`. */
    agent_id: string;
    /** What the agent can do, e.g. `["debate", "critique", "summarize"]`. */
    capabilities: string[];
    /** The agent's model, e.g. `claude-3-opus`. */
    model: string;
    /** The model provider, e.g. `anthropic`. */
    provider: string;
  };
}

/** "Emitted when an agent unregisters or is removed." */
export interface AgentUnregisteredEvent extends ControlPlaneEnvelope {
  type: 'agent_unregistered';
  data: {
    /** The agent, e.g. `agent-abc123`. */
    agent_id: string;
    /** Why, e.g. `graceful_shutdown` (an example value, not an enum). */
    reason: string;
  };
}

/** "Emitted when an agent's status changes (idle, busy, etc.)." */
export interface AgentStatusChangedEvent extends ControlPlaneEnvelope {
  type: 'agent_status_changed';
  data: {
    /** The agent, e.g. `agent-abc123`. */
    agent_id: string;
    /** Status before the change, e.g. `idle` ("idle, busy, etc.": not an exhaustive list). */
    old_status: string;
    /** Status after the change, e.g. `busy`. */
    new_status: string;
  };
}

/** "Periodic heartbeat from an agent." */
export interface AgentHeartbeatEvent extends ControlPlaneEnvelope {
  type: 'agent_heartbeat';
  data: {
    /** The agent, e.g. `agent-abc123`. */
    agent_id: string;
    /** The agent's status, e.g. `idle`. */
    status: string;
    /**
     * Number of tasks the agent has completed, e.g. `42`.
     * @TJS-type integer
     */
    tasks_completed: number;
  };
}

/** "Emitted when an agent fails to send heartbeats within the expected interval." */
export interface AgentTimeoutEvent extends ControlPlaneEnvelope {
  type: 'agent_timeout';
  data: {
    /** The agent, e.g. `agent-abc123`. */
    agent_id: string;
    /** When the last heartbeat arrived: epoch seconds (float), e.g. `1732734053.123`. */
    last_heartbeat: number;
  };
}

// ---------------------------------------------------------------------------------------------
// Task events: "Events related to task lifecycle".
// ---------------------------------------------------------------------------------------------

/** "Emitted when a new task is submitted to the scheduler." */
export interface TaskSubmittedEvent extends ControlPlaneEnvelope {
  type: 'task_submitted';
  data: {
    /** The task, e.g. `task-xyz789`. */
    task_id: string;
    /** Kind of task, e.g. `debate`. */
    task_type: string;
    /** Task priority, e.g. `high` (an example value, not an enum). */
    priority: string;
    /** Capabilities an agent needs to claim the task, e.g. `["debate", "critique"]`. */
    required_capabilities: string[];
  };
}

/** "Emitted when an agent claims a task." */
export interface TaskClaimedEvent extends ControlPlaneEnvelope {
  type: 'task_claimed';
  data: {
    /** The task, e.g. `task-xyz789`. */
    task_id: string;
    /** The claiming agent, e.g. `agent-abc123`. */
    agent_id: string;
  };
}

/** "Emitted when an agent begins executing a task." */
export interface TaskStartedEvent extends ControlPlaneEnvelope {
  type: 'task_started';
  data: {
    /** The task, e.g. `task-xyz789`. */
    task_id: string;
    /** The executing agent, e.g. `agent-abc123`. */
    agent_id: string;
  };
}

/** "Emitted when a task completes successfully." */
export interface TaskCompletedEvent extends ControlPlaneEnvelope {
  type: 'task_completed';
  data: {
    /** The task, e.g. `task-xyz789`. */
    task_id: string;
    /** The agent that executed it, e.g. `agent-abc123`. */
    agent_id: string;
    /** Short summary of the result, e.g. `Debate concluded with consensus...`. */
    result_summary: string;
  };
}

/** "Emitted when a task fails." */
export interface TaskFailedEvent extends ControlPlaneEnvelope {
  type: 'task_failed';
  data: {
    /** The task, e.g. `task-xyz789`. */
    task_id: string;
    /** The agent that executed it, e.g. `agent-abc123`. */
    agent_id: string;
    /** Error message, e.g. `Agent timeout during execution`. */
    error: string;
    /**
     * Retries left, e.g. `2`.
     * @TJS-type integer
     */
    retries_left: number;
  };
}

/** "Emitted when a task is cancelled." */
export interface TaskCancelledEvent extends ControlPlaneEnvelope {
  type: 'task_cancelled';
  data: {
    /** The task, e.g. `task-xyz789`. */
    task_id: string;
    /** Why, e.g. `user_requested` (an example value, not an enum). */
    reason: string;
  };
}

/** "Emitted when a failed task is being retried." */
export interface TaskRetryingEvent extends ControlPlaneEnvelope {
  type: 'task_retrying';
  data: {
    /** The task, e.g. `task-xyz789`. */
    task_id: string;
    /**
     * This attempt's number, e.g. `2`.
     * @TJS-type integer
     */
    attempt: number;
    /**
     * Maximum number of attempts, e.g. `3`.
     * @TJS-type integer
     */
    max_attempts: number;
  };
}

/** "Emitted when a task exhausts retries and is moved to the dead letter queue." */
export interface TaskDeadLetteredEvent extends ControlPlaneEnvelope {
  type: 'task_dead_lettered';
  data: {
    /** The task, e.g. `task-xyz789`. */
    task_id: string;
    /** Why, e.g. `Max retries exceeded`. */
    reason: string;
  };
}

// ---------------------------------------------------------------------------------------------
// System events: "Events related to system health and metrics".
// ---------------------------------------------------------------------------------------------

/** "Periodic system health status." */
export interface HealthUpdateEvent extends ControlPlaneEnvelope {
  type: 'health_update';
  data: {
    /** Overall health, e.g. `healthy` (an example value, not an enum). */
    status: string;
    /** Agent counts. */
    agents: {
      /**
       * Number of registered agents, e.g. `5`.
       * @TJS-type integer
       */
      total: number;
      /**
       * Number of idle agents, e.g. `3`.
       * @TJS-type integer
       */
      idle: number;
      /**
       * Number of busy agents, e.g. `2`.
       * @TJS-type integer
       */
      busy: number;
    };
  };
}

/** "System metrics update." */
export interface MetricsUpdateEvent extends ControlPlaneEnvelope {
  type: 'metrics_update';
  data: {
    /** Throughput, e.g. `12.5`. */
    tasks_per_minute: number;
    /** Average task duration (seconds), e.g. `4.2`. */
    avg_task_duration: number;
    /**
     * Number of queued tasks, e.g. `8`.
     * @TJS-type integer
     */
    queue_depth: number;
  };
}

/** "Detailed scheduler statistics." */
export interface SchedulerStatsEvent extends ControlPlaneEnvelope {
  type: 'scheduler_stats';
  data: {
    /**
     * Number of pending tasks, e.g. `15`.
     * @TJS-type integer
     */
    pending_tasks: number;
    /**
     * Number of running tasks, e.g. `4`.
     * @TJS-type integer
     */
    running_tasks: number;
    /**
     * Number of tasks completed today, e.g. `342`.
     * @TJS-type integer
     */
    completed_today: number;
    /**
     * Number of tasks failed today, e.g. `3`.
     * @TJS-type integer
     */
    failed_today: number;
    /** Average wait time (seconds), e.g. `1.2`. */
    avg_wait_time: number;
  };
}

// ---------------------------------------------------------------------------------------------
// Error events.
// ---------------------------------------------------------------------------------------------

/** "System error notification." */
export interface ControlPlaneErrorEvent extends ControlPlaneEnvelope {
  type: 'error';
  data: {
    /** Error message, e.g. `Redis connection lost`. */
    error: string;
    /** Context of the error; its keys are free (the document shows `component` and `retry_in`). */
    context: {
      /** The failing component, e.g. `scheduler`. */
      component?: string;
      /** Seconds until the next retry, e.g. `5`. */
      retry_in?: number;
      [key: string]: unknown;
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Keepalive and client messages.
// ---------------------------------------------------------------------------------------------

/** Answer to `ping`: "Server responds with" `{"type": "pong", "timestamp": ...}` (no `data`). */
export interface PongReply {
  type: 'pong';
  /** Epoch seconds (float), e.g. `1732735053.123`. */
  timestamp: number;
  /** Not documented for pong; allowed, an object when present. */
  data?: JsonObject;
}

/** "Keep-alive ping". */
export interface PingCommand {
  type: 'ping';
}

/**
 * "Subscribe to specific event types (not yet implemented)": a future message; a server may ignore it.
 * Documented as "Subscribe (Future)"; no reply is documented.
 */
export interface SubscribeCommand {
  type: 'subscribe';
  /** Event type names to receive, e.g. `["task_completed", "task_failed"]`. */
  events: string[];
}

/** Server → client messages by wire name. */
export interface ServerEvents {
  connected: ConnectedEvent;
  agent_registered: AgentRegisteredEvent;
  agent_unregistered: AgentUnregisteredEvent;
  agent_status_changed: AgentStatusChangedEvent;
  agent_heartbeat: AgentHeartbeatEvent;
  agent_timeout: AgentTimeoutEvent;
  task_submitted: TaskSubmittedEvent;
  task_claimed: TaskClaimedEvent;
  task_started: TaskStartedEvent;
  task_completed: TaskCompletedEvent;
  task_failed: TaskFailedEvent;
  task_cancelled: TaskCancelledEvent;
  task_retrying: TaskRetryingEvent;
  task_dead_lettered: TaskDeadLetteredEvent;
  health_update: HealthUpdateEvent;
  metrics_update: MetricsUpdateEvent;
  scheduler_stats: SchedulerStatsEvent;
  error: ControlPlaneErrorEvent;
  pong: PongReply;
}

/** Client → server messages by wire name. */
export interface ClientMessages {
  ping: PingCommand;
  subscribe: SubscribeCommand;
}
