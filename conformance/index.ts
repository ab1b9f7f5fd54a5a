/**
 * The ordered registry of checks. A new check is one file plus one line here; ids are stable
 * (`category/name`), never positions.
 */
import type { CheckDef } from '../src/runner/index.js';
import upgrade from './handshake/upgrade.js';
import initialMessages from './handshake/initial-messages.js';
import subprotocol from './handshake/subprotocol.js';
import opening from './handshake/opening.js';
import textFrames from './envelope/text-frames.js';
import jsonObjects from './envelope/json-objects.js';
import fields from './envelope/fields.js';
import timestamps from './envelope/timestamps.js';
import knownMessages from './envelope/known-messages.js';
import schema from './envelope/schema.js';
import sequence from './ordering/sequence.js';
import lifecycle from './ordering/lifecycle.js';
import accumulation from './ordering/accumulation.js';
import replyAfterRequest from './ordering/reply-after-request.js';
import broadcast from './ordering/broadcast.js';
import operations from './ordering/operations.js';
import appPing from './ping-pong/app-ping.js';
import wsPingFrame from './ping-pong/ws-ping-frame.js';
import serverKeepalive from './ping-pong/server-keepalive.js';
import socketioHeartbeat from './ping-pong/socketio-heartbeat.js';
import validToken from './auth/valid-token.js';
import missingToken from './auth/missing-token.js';
import wrongToken from './auth/wrong-token.js';
import writeRefused from './auth/write-refused.js';
import adminRefused from './auth/admin-refused.js';
import privilegedFeed from './auth/privileged-feed.js';
import tokenNotEchoed from './auth/token-not-echoed.js';
import replies from './request-response/replies.js';
import batch from './request-response/batch.js';
import invalidJson from './robustness/invalid-json.js';
import unknownMessage from './robustness/unknown-message.js';
import nonObjectJson from './robustness/non-object-json.js';
import oversizedFrame from './robustness/oversized-frame.js';
import closeCodes from './robustness/close-codes.js';
import probes from './robustness/probes.js';

/** Every check, in the order reports list them. */
export const CHECKS: readonly CheckDef[] = [
  upgrade,
  initialMessages,
  subprotocol,
  opening,
  textFrames,
  jsonObjects,
  fields,
  timestamps,
  knownMessages,
  schema,
  sequence,
  lifecycle,
  accumulation,
  replyAfterRequest,
  broadcast,
  operations,
  appPing,
  wsPingFrame,
  serverKeepalive,
  socketioHeartbeat,
  validToken,
  missingToken,
  wrongToken,
  writeRefused,
  adminRefused,
  privilegedFeed,
  tokenNotEchoed,
  replies,
  batch,
  invalidJson,
  unknownMessage,
  nonObjectJson,
  oversizedFrame,
  closeCodes,
  probes,
];

/** Looks a check up by id. */
export function checkById(id: string): CheckDef | undefined {
  return CHECKS.find((c) => c.id === id);
}
