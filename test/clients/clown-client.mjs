// A Clown client for the judge-client tests. Its behaviour is chosen by argv[2]:
//   good          subscribes, survives anything, reconnects with exponential backoff and subscribes again
//   snippet       the document's own JavaScript example: onclose only logs (no reconnection)
//   storm         reconnects every 10 ms
//   flat          reconnects every 300 ms, never longer (no backoff, no storm)
//   no-resubscribe  reconnects with backoff but does not subscribe again
//   invalid       sends its subscription with events as a string, not an array
//   fragile       closes its connection on an event type it does not know
//   no-pong       never answers a WebSocket ping frame (ws's autoPong off)
import WebSocket from 'ws';
// (fragile: its list of the documented event types; anything else makes it close)

const mode = process.argv[2] ?? 'good';
const url = process.env.WSCONFORM_URL;
const KNOWN = new Set(['ProfileCreated', 'ProfileUpdated', 'ProfileDeleted', 'ProfileStarted', 'ProfileStopped', 'AgentDetected', 'AgentUpdated', 'RegistrySyncStarted', 'RegistrySyncCompleted', 'RegistrySyncFailed', 'ProxyStarted', 'ProxyStopped', 'ProxyError', 'UsageUpdated', 'UsageImported', 'DaemonStarted', 'DaemonShuttingDown']);
let wait = 100;
let first = true;

function connect() {
  const ws = new WebSocket(url, { autoPong: mode !== 'no-pong' });
  ws.on('open', () => {
    wait = 100;
    if (mode === 'snippet') return console.log('Connected to clown daemon');
    if (first || mode !== 'no-resubscribe') ws.send(JSON.stringify({ action: 'subscribe', events: mode === 'invalid' ? 'ProfileCreated' : ['ProfileCreated', 'UsageUpdated'] }));
    first = false;
  });
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (mode === 'fragile' && !KNOWN.has(message.type)) ws.close(4000, `unknown event ${message.type}`);
  });
  ws.on('error', () => undefined);
  ws.on('close', () => {
    if (mode === 'snippet') return console.log('Disconnected from clown daemon');
    const delay = mode === 'storm' ? 10 : mode === 'flat' ? 300 : wait;
    wait = Math.min(wait * 2, 5000);
    setTimeout(connect, delay);
  });
}
connect();
