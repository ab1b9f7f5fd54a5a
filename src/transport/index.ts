/** The transport library: open a WebSocket or Socket.IO connection, probe a server's reachability. */
import { SocketIoConnection } from './socketio.js';
import type { Connection, ConnectOptions } from './types.js';
import { WebSocketConnection } from './websocket.js';

export type * from './types.js';
export { probe, type ProbeResult } from './probe.js';
export { decodeEnginePacket, engineUrl } from './socketio.js';
export { DEFAULT_MAX_PAYLOAD } from './base.js';
export { FrameLog, EMPTY_LOG, OBSERVER_BOUNDS, type FrameView, type LogBounds } from './log.js';

/** Opens a connection of the given transport; the attempt starts at once. */
export function connect(transport: 'websocket' | 'socket.io', options: ConnectOptions): Connection {
  return transport === 'socket.io' ? new SocketIoConnection(options) : new WebSocketConnection(options);
}
