// A client of test/judge/documents/ticker.asyncapi.yaml for the judge-client tests. argv[2]:
//   good     the token in ?key=, a heartbeat every 200 ms
//   bearer   the token as Authorization: Bearer, a heartbeat every 200 ms
//   no-token no token at all (the server refuses it with 401)
//   api-key  the token in ?api_key=, a parameter the document does not name
//   silent   the token in ?key=, and never a heartbeat
//   slow     the token in ?key=, a heartbeat every 900 ms
import WebSocket from 'ws';

const mode = process.argv[2] ?? 'good';
const token = process.env.WSCONFORM_TOKEN ?? '';
const base = process.env.WSCONFORM_URL;
const url = mode === 'bearer' || mode === 'no-token' ? base : `${base}?${mode === 'api-key' ? 'api_key' : 'key'}=${encodeURIComponent(token)}`;
const headers = mode === 'bearer' ? { Authorization: `Bearer ${token}` } : {};
const every = mode === 'slow' ? 900 : 200;

function connect() {
  const ws = new WebSocket(url, { headers });
  let timer;
  let opened = false;
  ws.on('open', () => {
    opened = true;
    if (mode !== 'silent') timer = setInterval(() => ws.send(JSON.stringify({ type: 'heartbeat' })), every);
  });
  ws.on('message', () => undefined);
  ws.on('error', (err) => console.log(`error: ${err.message}`));
  ws.on('close', () => {
    clearInterval(timer);
    // A refused client tries again, as a real one would.
    if (!opened) setTimeout(connect, 300);
  });
}
connect();
