/**
 * Clown daemon event stream (`ws://127.0.0.1:8765/ws`).
 *
 * Source: the Clown "WebSocket Events Reference" document. Every server event is a JSON object
 * `{type, timestamp, data}`; the document also shows a "future" client message
 * `{"action": "subscribe", "events": [...]}` for event filtering.
 */

/** A JSON object with any fields. */
export type JsonObject = { [key: string]: unknown };

/** "All events are JSON objects": the envelope of every Clown event (Message Format). */
export interface ClownEnvelope {
  /** Event type name, e.g. `ProfileCreated`. */
  type: string;
  /**
   * When the event was emitted, an ISO 8601 date-time, e.g. `2026-01-08T10:30:00Z`.
   * @format date-time
   */
  timestamp: string;
  /** Event-specific payload. */
  data: JsonObject;
}

/** Emitted when a new profile is created. */
export interface ProfileCreatedEvent extends ClownEnvelope {
  type: 'ProfileCreated';
  data: {
    /** Profile alias, e.g. `my-project`. */
    alias: string;
    /** Agent the profile runs, e.g. `claude`. */
    agent_id: string;
    /** Model provider, e.g. `anthropic`. */
    provider_id: string;
    /** Model name, e.g. `claude-sonnet-4`. */
    model: string;
  };
}

/** Emitted when a profile is modified. */
export interface ProfileUpdatedEvent extends ClownEnvelope {
  type: 'ProfileUpdated';
  data: {
    /** Profile alias. */
    alias: string;
    /** Names of the changed settings, e.g. `["model", "hooks_config"]`. */
    changes: string[];
  };
}

/** Emitted when a profile is deleted. */
export interface ProfileDeletedEvent extends ClownEnvelope {
  type: 'ProfileDeleted';
  data: {
    /** Profile alias. */
    alias: string;
  };
}

/** Emitted when a profile starts running. */
export interface ProfileStartedEvent extends ClownEnvelope {
  type: 'ProfileStarted';
  data: {
    /** Profile alias. */
    alias: string;
    /** Process id of the running profile. */
    pid: number;
  };
}

/** Emitted when a profile stops running. */
export interface ProfileStoppedEvent extends ClownEnvelope {
  type: 'ProfileStopped';
  data: {
    /** Profile alias. */
    alias: string;
    /** Exit code of the profile's process, e.g. 0. */
    exit_code: number;
    /** How long the profile ran, in seconds, e.g. 900. */
    runtime_secs: number;
  };
}

/** Emitted when an agent is detected on the system. */
export interface AgentDetectedEvent extends ClownEnvelope {
  type: 'AgentDetected';
  data: {
    /** Agent id, e.g. `claude`. */
    id: string;
    /** Display name, e.g. `Claude Code`. */
    name: string;
    /** Detected version, e.g. `1.0.0`. */
    version: string;
    /** Path of the agent's binary, e.g. `/usr/local/bin/claude`. */
    binary_path: string;
  };
}

/** Emitted when an agent's detection info changes. */
export interface AgentUpdatedEvent extends ClownEnvelope {
  type: 'AgentUpdated';
  data: {
    /** Agent id. */
    id: string;
    /** Previously detected version, e.g. `0.9.0`. */
    old_version: string;
    /** Newly detected version, e.g. `1.0.0`. */
    new_version: string;
  };
}

/** Emitted when registry sync begins. */
export interface RegistrySyncStartedEvent extends ClownEnvelope {
  type: 'RegistrySyncStarted';
  data: {
    /** Registry channel being synced, e.g. `stable` (an example, not an exhaustive list). */
    channel: string;
    /** Whether the sync was forced. */
    force: boolean;
  };
}

/** Emitted when registry sync completes. */
export interface RegistrySyncCompletedEvent extends ClownEnvelope {
  type: 'RegistrySyncCompleted';
  data: {
    /** Registry channel synced, e.g. `stable`. */
    channel: string;
    /** Registry commit synced to, e.g. `f4a12c3`. */
    commit: string;
    /** Whether the registry came from the local cache. */
    from_cache: boolean;
    /** Number of artifacts downloaded, e.g. 5. */
    artifacts_downloaded: number;
  };
}

/** Emitted when registry sync fails. */
export interface RegistrySyncFailedEvent extends ClownEnvelope {
  type: 'RegistrySyncFailed';
  data: {
    /** Error message, e.g. `Network timeout`. */
    error: string;
  };
}

/** Emitted when a proxy instance starts. */
export interface ProxyStartedEvent extends ClownEnvelope {
  type: 'ProxyStarted';
  data: {
    /** Profile the proxy serves, e.g. `work`. */
    profile: string;
    /** Port the proxy listens on, e.g. 8081. */
    port: number;
    /** Process id of the proxy. */
    pid: number;
  };
}

/** Emitted when a proxy instance stops. */
export interface ProxyStoppedEvent extends ClownEnvelope {
  type: 'ProxyStopped';
  data: {
    /** Profile the proxy served. */
    profile: string;
    /** Exit code of the proxy, e.g. 0. */
    exit_code: number;
  };
}

/** Emitted when a proxy encounters an error. */
export interface ProxyErrorEvent extends ClownEnvelope {
  type: 'ProxyError';
  data: {
    /** Profile the proxy serves. */
    profile: string;
    /** Error message, e.g. `Port already in use`. */
    error: string;
  };
}

/** Emitted when usage statistics are updated. */
export interface UsageUpdatedEvent extends ClownEnvelope {
  type: 'UsageUpdated';
  data: {
    /** Profile whose usage changed, e.g. `my-project`. */
    profile: string;
    /** Token counts. */
    tokens: {
      /** Input tokens, e.g. 5000. */
      input_tokens: number;
      /** Output tokens, e.g. 2000. */
      output_tokens: number;
    };
    /** Cost figures. */
    cost: {
      /** Total cost, e.g. 0.045. */
      total_cost: number;
    };
  };
}

/** Emitted when usage data is imported. */
export interface UsageImportedEvent extends ClownEnvelope {
  type: 'UsageImported';
  data: {
    /** Where the usage data came from, e.g. `claude`. */
    source: string;
    /** Number of records imported, e.g. 42. */
    records_imported: number;
  };
}

/** Emitted when the daemon starts. */
export interface DaemonStartedEvent extends ClownEnvelope {
  type: 'DaemonStarted';
  data: {
    /** Daemon version, e.g. `0.1.0`. */
    version: string;
    /** Daemon process id. */
    pid: number;
  };
}

/** Emitted when the daemon begins shutdown. */
export interface DaemonShuttingDownEvent extends ClownEnvelope {
  type: 'DaemonShuttingDown';
  data: {
    /** Why the daemon shuts down, e.g. `idle_timeout` (an example, not an exhaustive list). */
    reason: string;
  };
}

/**
 * Event subscription (documented as future): "By default, clients receive all events. Future
 * versions may support filtering." A server may filter to the listed events or ignore the
 * message (see asyncapi/decisions/clown.md, "subscribe").
 */
export interface ClownSubscribeCommand {
  action: 'subscribe';
  /** Event type names to receive, e.g. `["ProfileCreated", "ProfileDeleted", "UsageUpdated"]`. */
  events: string[];
}

/** Server → client messages by wire name. */
export interface ServerEvents {
  ProfileCreated: ProfileCreatedEvent;
  ProfileUpdated: ProfileUpdatedEvent;
  ProfileDeleted: ProfileDeletedEvent;
  ProfileStarted: ProfileStartedEvent;
  ProfileStopped: ProfileStoppedEvent;
  AgentDetected: AgentDetectedEvent;
  AgentUpdated: AgentUpdatedEvent;
  RegistrySyncStarted: RegistrySyncStartedEvent;
  RegistrySyncCompleted: RegistrySyncCompletedEvent;
  RegistrySyncFailed: RegistrySyncFailedEvent;
  ProxyStarted: ProxyStartedEvent;
  ProxyStopped: ProxyStoppedEvent;
  ProxyError: ProxyErrorEvent;
  UsageUpdated: UsageUpdatedEvent;
  UsageImported: UsageImportedEvent;
  DaemonStarted: DaemonStartedEvent;
  DaemonShuttingDown: DaemonShuttingDownEvent;
}

/** Client → server messages by wire name. */
export interface ClientMessages {
  subscribe: ClownSubscribeCommand;
}
