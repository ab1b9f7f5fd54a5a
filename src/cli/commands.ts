/**
 * Every CLI command, declared as data: name, arguments, options, and a lazy loader of its
 * implementation. A new command is one entry here plus one file.
 */

/** What a command implementation receives. */
export interface CommandContext {
  args: (string | undefined)[];
  opts: Record<string, unknown>;
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream };
}

/** A command implementation: resolves to the exit code. */
export type CommandImpl = (ctx: CommandContext) => Promise<number>;

/** One option, as data. */
export interface OptionSpec {
  flags: string;
  description: string;
  default?: unknown;
  choices?: string[];
  /** May be given several times; the value is an array. */
  repeatable?: boolean;
}

/** One command, as data. */
export interface CommandSpec {
  name: string;
  description: string;
  args: { name: string; description: string; required: boolean }[];
  options: OptionSpec[];
  help?: string;
  load: () => Promise<{ default: CommandImpl }>;
}

const SPEC_ARG = { name: 'protocol', description: 'a built-in protocol id or the path of an AsyncAPI document', required: true };

/** The registry of commands, in the order `--help` lists them. */
export const COMMANDS: CommandSpec[] = [
  {
    name: 'validate',
    description: 'Validate a transcript offline: one JSON message per line.',
    args: [SPEC_ARG, { name: 'transcript', description: 'a .jsonl file, or - for standard input', required: true }],
    options: [
      { flags: '--direction <dir>', description: 'which side sent the lines: receive (server), send (client) or auto', default: 'auto', choices: ['auto', 'receive', 'send'] },
      { flags: '--json', description: 'print the result as JSON' },
    ],
    help: `A line is a WebSocket message as a JSON object, or for Socket.IO protocols the event as it
travels in an EVENT packet: a JSON array [eventName, ...args], e.g. ["join-session", {"sessionId": "s1"}].
Blank lines are skipped. With --direction auto a line is a server message if its name is one,
else a client message.

Exit codes: 0 every line valid; 1 some line invalid; 2 usage or document error.

Example:
  wsconform validate kiwi examples/kiwi-transcript.jsonl`,
    load: () => import('./validate.js'),
  },
  {
    name: 'run',
    description: 'Run the conformance suite against a running server.',
    args: [SPEC_ARG],
    options: [
      { flags: '--url <url>', description: '(required) the server: ws(s)://host:port/path (Socket.IO: http(s)://host:port). The URL given is tested, path included; the other documented channels are derived from it' },
      { flags: '--token <token>', description: 'a valid (non-admin) token; required when the document refuses connections without one, else auth checks that need one skip' },
      { flags: '--admin-token <token>', description: 'an admin token, for admin-only operations and privileged events' },
      { flags: '--only <list>', description: 'run only these categories or check ids (comma-separated, repeatable)', repeatable: true },
      { flags: '--skip <list>', description: 'leave out these categories or check ids (comma-separated, repeatable)', repeatable: true },
      { flags: '--strict', description: 'a missed SHOULD fails (verdict fail, exit 1) instead of non-strict' },
      { flags: '--timeout <duration>', description: 'wait for one expected answer (reply, pong, close): milliseconds, or 2s, 500ms (default 2000)' },
      { flags: '--observe <duration>', description: 'how long the shared observation connection listens: milliseconds, or 90s, 10m, 1m30s (default 3000)' },
      { flags: '--keepalive-interval <duration>', description: "the server's ping interval when configured differently from the document (the timeout scales with it)" },
      { flags: '--clients <n>', description: 'observe with N clients at once: each judged per connection (sequences, lifecycles), each timing ping → pong (p50/p99 in the report); a client that cannot connect or a ping left unanswered fails the run' },
      { flags: '--max-connections <n>', description: 'the most connections open at once, the observation included (default 6: below a limit of 10 per client address, with room for closes the server has not counted yet)' },
      { flags: '--trigger <name[=json]>', description: "a client message the observation sends instead of the document's triggers, with its payload (e.g. 'join-session={\"sessionId\":\"s-42\"}'; repeatable, in order)", repeatable: true },
      { flags: '--triggers <file>', description: 'the triggers from a JSON or YAML file: a list of {message, payload?, needs?}' },
      { flags: '--require-coverage', description: 'fail the run (exit 1) when a documented server message was never observed' },
      { flags: '--reporter <name[:file]>', description: 'pretty, json, junit or html, to standard output or to FILE (repeatable; default pretty)', repeatable: true },
      { flags: '--baseline <file>', description: "known failures (check id + finding message): only failures the file does not list fail the run" },
      { flags: '--update-baseline', description: "write this run's failures to the --baseline file instead of comparing with it" },
    ],
    help: `Checks are driven by the document's AsyncAPI operations and x-wsconform extension; \`wsconform list\`
shows them. Stream checks judge one shared observation connection that sends the document's
triggers and listens for --observe ms; the other checks open connections of their own.
Verdicts: pass, fail, non-strict (a SHOULD missed), skip (not applicable or nothing observed,
with the reason), error (the kit itself failed). Tokens are redacted (***) in every report.

The html reporter writes one self-contained page (no network access) with the wire log around
each failure, filterable by verdict.

Baselines let a CI gate accept an implementation's known failures. A failure is a check id plus
one of its finding messages: a check failing in a new way is a new failure. With --baseline FILE
the run fails (exit 1) only on new failures or errors, and lists the known ones and the ones
fixed since the baseline; --update-baseline records the run's failures in FILE (JSON, sorted).
A missing or malformed FILE, or one recorded for another protocol, is a usage error (exit 2).

Never green by accident: a run whose observation connection was refused, that observed no
stream event at all, or (with --require-coverage) never saw a documented message, exits 1 with
one line saying why, whatever the checks say. A server that answers "try later" (HTTP 429, close
1013 or 4029) makes the checks it refused \`error: rate-limited\`, never a failure.

Interrupts: SIGINT/SIGTERM stop the checks; every requested report is still written whole (the
interrupted checks as error: interrupted) and the run exits 130. A second signal stops at once.
With only file reporters, one summary line goes to standard error.

Exit codes: 0 no check failed (a missed SHOULD only fails under --strict; with --baseline, no
failure the baseline does not list) and the run observed the stream; 1 a check failed or could
not be evaluated (error), or the run observed nothing / was refused; 2 usage or document error
(a document that requires a token without --token), bad baseline file, or no server at --url
(connection refused at every address); 130 interrupted by SIGINT/SIGTERM.

Examples:
  wsconform run kiwi --url ws://localhost:7789/api/events
  wsconform run aragora --url ws://localhost:8765/ws --token "$ARAGORA_API_TOKEN" --only envelope,ordering
  wsconform run gemini-chat --url http://localhost:3000 --token T --admin-token A --reporter pretty --reporter junit:wsconform.xml
  wsconform run my-protocol.yaml --url ws://localhost:9100/ticks --strict --reporter json:report.json
  wsconform run kiwi --url ws://localhost:7789/api/events --reporter pretty --reporter html:report.html
  wsconform run kiwi --url ws://localhost:7789/api/events --baseline wsconform-baseline.json --update-baseline
  wsconform run kiwi --url ws://localhost:7789/api/events --baseline wsconform-baseline.json`,
    load: () => import('./run.js'),
  },
  {
    name: 'list',
    description: 'List every check with its id, category, level and requirement, and whether it applies.',
    args: [SPEC_ARG],
    options: [{ flags: '--json', description: 'print the list as JSON' }],
    help: `Exit codes: 0 listed; 2 usage or document error.

Examples:
  wsconform list kiwi
  wsconform list my-protocol.yaml --json`,
    load: () => import('./list.js'),
  },
  {
    name: 'demo',
    description: 'Start the reference server for every built-in protocol in-process and run the whole suite against each.',
    args: [],
    options: [
      { flags: '--protocol <list>', description: 'only these built-in protocols (comma-separated, repeatable)', repeatable: true },
      { flags: '--strict', description: 'a missed SHOULD fails' },
      { flags: '--quiet', description: 'print only the checks that did not pass or skip, and the summaries' },
    ],
    help: `Each server listens on 127.0.0.1 with a free port, streams its fixture instantly and requires
demo tokens, so the auth checks run too. Protocols run in parallel; a few seconds in all.

Exit codes: 0 no check failed on any protocol; 1 one did; 2 usage error.

Example:
  wsconform demo`,
    load: () => import('./demo.js'),
  },
  {
    name: 'record',
    description: 'Record a live stream into a fixture that `wsconform serve` replays.',
    args: [SPEC_ARG],
    options: [
      { flags: '--url <url>', description: 'the server to record (ws://… or, for Socket.IO, http://…)' },
      { flags: '-o, --out <file>', description: 'the fixture file to write', default: 'recording.jsonl' },
      { flags: '--duration <duration>', description: 'how long to record after connecting: milliseconds, or 30s, 5m', default: '5000' },
      { flags: '--send <file>', description: 'client messages to send: JSON Lines of {"at": ms, "frame": message}, or bare messages sent at once' },
      { flags: '--token <token>', description: 'token presented the way the document says (redacted in output)' },
      { flags: '--default-fixture <file>', description: 'where to borrow scripts the recording did not see (default: the built-in scenario)' },
    ],
    help: `Every message is validated as it arrives; one that does not conform is kept verbatim and marked
"nonconforming" with its issues, so serve replays the drift faithfully. Nothing is dropped: a text
frame that is not JSON is kept as a comment line. The documented initial messages become the
$connect script, the first documented reply to each sent message becomes that message's script.

SIGINT/SIGTERM end the recording early; what was recorded is written.

Exit codes: 0 recorded; 1 the server closed the connection before anything was recorded;
2 usage error or the server could not be reached; 130 stopped early by SIGINT/SIGTERM (the
recording is written).

Example:
  wsconform record kiwi --url ws://localhost:7789/api/events --duration 10000 --out kiwi-live.jsonl
  wsconform serve kiwi --fixture kiwi-live.jsonl`,
    load: () => import('./record.js'),
  },
  {
    name: 'docs',
    description: 'Generate HTML or Markdown documentation with @asyncapi/generator (offline).',
    args: [{ name: 'protocol', description: 'a built-in protocol id, the path of an AsyncAPI document, or all', required: true }],
    options: [
      { flags: '-o, --out <dir>', description: 'output folder', default: 'docs' },
      { flags: '--format <format>', description: 'html, markdown or both', default: 'html', choices: ['html', 'markdown', 'both'] },
    ],
    help: `Needs the optional docs tooling (not needed by run, serve or validate). The HTML template
pulls puppeteer, whose browser download must be switched off:
  PUPPETEER_SKIP_DOWNLOAD=1 npm install --save-dev @asyncapi/generator @asyncapi/html-template @asyncapi/markdown-template

Exit codes: 0 written; 2 usage or document error, the tooling is not installed, or --out cannot
be written (the folder is created; a path under a file or without permission is refused).

Examples:
  wsconform docs aragora --out docs/aragora            # one self-contained index.html
  wsconform docs my-protocol.yaml --format markdown    # docs/index.md
  wsconform docs all --format both --out docs          # docs/<id>/{html,markdown}/`,
    load: () => import('./docs.js'),
  },
  {
    name: 'diff',
    description: 'Classify every change between two documents: what breaks clients, what breaks servers.',
    args: [
      { name: 'old', description: 'the document before (a built-in id or a path)', required: true },
      { name: 'new', description: 'the document after (a built-in id or a path)', required: true },
    ],
    options: [
      { flags: '--format <format>', description: 'pretty, json or markdown (for a pull-request comment)', default: 'pretty', choices: ['pretty', 'json', 'markdown'] },
      { flags: '--fail-on <what>', description: 'exit 1 on a breaking change, or on any change', default: 'breaking', choices: ['breaking', 'any'] },
    ],
    help: `A server message is written by servers and read by clients; a client message the other way
round. A schema that accepts less breaks its writers, one that accepts more breaks its readers.
The x-wsconform rules are classified too (initial messages, sequences, the name field, auth,
subprotocols, close codes, timestamps, the envelope); a rule the table does not know is
reported as breaking both, never dropped. Descriptions, examples and bases are words: they
change nothing.

Exit codes: 0 nothing breaks (with --fail-on any: nothing changed); 1 something does; 2 usage or
document error.

Examples:
  wsconform diff asyncapi/kiwi.yaml kiwi-next.yaml
  git show main:asyncapi/kiwi.yaml > /tmp/kiwi-main.yaml && wsconform diff /tmp/kiwi-main.yaml asyncapi/kiwi.yaml --format markdown`,
    load: () => import('./diff.js'),
  },
  {
    name: 'suggest',
    description: 'Propose the smallest change to a document that makes a recording conform (a patch, never applied unless --write).',
    args: [SPEC_ARG],
    options: [
      { flags: '--from <file>', description: 'a recording (wsconform record) or a transcript (JSON Lines, one message per line); - for standard input' },
      { flags: '--url <url>', description: 'record this server first (as wsconform record does), then suggest' },
      { flags: '--duration <duration>', description: 'with --url: how long to record: milliseconds, or 30s, 5m', default: '5000' },
      { flags: '--send <file>', description: 'with --url: client messages to send while recording (as record --send)' },
      { flags: '--token <token>', description: 'with --url: token presented the way the document says' },
      { flags: '--json', description: 'JSON: every change with its evidence and JSON Patch (RFC 6902) operations per file, and the unified diff' },
      { flags: '--write', description: 'apply the changes to the document and the schema files it references' },
    ],
    help: `Validates every recorded message against the document, and for each drift proposes the change
that makes it conform, with the evidence (how many messages, of how many, the first ones):
  batching          the server sends several events as one JSON array (x-wsconform.batching)
  name-field        messages carry their name in another field (x-wsconform.nameField)
  timestamp-format  a documented timestamp comes in another representation
  widen-type        a field also takes another type (null where a string is documented)
  change-type       a field always has another type than documented
  format, widen-enum
  optional          a required field is missing in some messages (N of M)
  rename-field      a documented field is missing in every message and a new one fits its place
  add-property      fields a closed schema forbids
  rename-message    a documented message never seen, and an undocumented one that fits it
  new-message       an undocumented message: its schema inferred from its instances (types,
                    required = present in all, formats; values stay examples, never enums)
Whether the server or the document is wrong is yours to decide; the patch is the document's side.
The changes land where the schemas live: the document and the schema files its $refs reach.
Frames that are not JSON, and drift no change can express, are listed as notes.

Exit codes: 0 every message conforms (nothing to change); 1 changes proposed (written with
--write), or messages that no change makes conform; 2 usage error, unreadable input, an input
with no message, or the server could not be reached.

Examples:
  wsconform record kiwi --url ws://localhost:7789/api/events --out live.jsonl
  wsconform suggest asyncapi/kiwi.yaml --from live.jsonl
  wsconform suggest asyncapi/kiwi.yaml --from live.jsonl --json | jq '.patch'
  wsconform suggest asyncapi/kiwi.yaml --url ws://localhost:7789/api/events --duration 30s --write`,
    load: () => import('./suggest.js'),
  },
  {
    name: 'types',
    description: "Write TypeScript types for a protocol's messages (name → payload maps included).",
    args: [SPEC_ARG],
    options: [{ flags: '-o, --out <file>', description: 'the .ts file to write', default: 'protocol-types.ts' }],
    help: `Needs the optional json-schema-to-typescript package (npm install --save-dev json-schema-to-typescript).
The built-in protocols' types ship with the package: import type { ServerEvents } from 'wsconform/types/kiwi'.

Exit codes: 0 written; 2 usage or document error, json-schema-to-typescript is not installed, or
--out cannot be written (a folder, a path under a file, no permission).

Example:
  wsconform types my-protocol.yaml --out src/my-protocol-types.ts`,
    load: () => import('./types.js'),
  },
  {
    name: 'judge-client',
    description: 'Judge a client: the reference server serves it, watches what it sends, and restarts under it.',
    args: [SPEC_ARG],
    options: [
      { flags: '--exec <command>', description: 'start the client under test with this shell command (it gets WSCONFORM_URL, and WSCONFORM_TOKEN where a token applies); its output is kept in the report' },
      { flags: '--port <n>', description: "the port to serve on (default: the document's own; 0: a free one)" },
      { flags: '--wait <time>', description: "how long to wait for the client's first connection", default: '10s' },
      { flags: '--listen <time>', description: 'how long to listen to the client before the scenarios', default: '2s' },
      { flags: '--timeout <time>', description: 'how long the client may take to react', default: '2s' },
      { flags: '--refuse <time>', description: 'how long the port refuses connections during the restart', default: '3s' },
      { flags: '--reconnect-wait <time>', description: 'how long after the restart the client may take to reconnect', default: '10s' },
      { flags: '--token <t>', description: 'the token the server accepts (the client gets it as WSCONFORM_TOKEN)' },
      { flags: '--admin-token <t>', description: 'the admin token the server accepts' },
      { flags: '--strict', description: 'a missed SHOULD fails' },
      { flags: '--reporter <name[:file]>', description: 'pretty, json, junit or html, to standard output or a file (repeatable)', repeatable: true },
    ],
    help: `The checks: client/messages (every message the client sends is documented and valid),
client/auth (every connection attempt carries the token by a documented means; the client reads
the token from WSCONFORM_TOKEN; where authentication is optional, only with --token),
client/keepalive (where the document states an interval, x-wsconform.client.keepalive),
client/ws-ping (it answers a WebSocket ping frame), client/tolerance (it survives an undocumented
event and an extra field), and where the document asks clients to reconnect
(x-wsconform.client.reconnect, e.g. Clown): client/reconnect (it comes back after a restart,
without a storm while the port refuses), client/backoff (its waits grow) and client/resend (it
subscribes again). Where the document orders client messages or names what they answer
(x-wsconform.client.order, .answers; gemini-chat: join-session before chat, tool:approve with a
requested callId): client/order and client/answers. Socket.IO clients: client/heartbeat (the
Engine.IO pings are answered) instead of client/ws-ping.

Exit codes: 0 the client conforms; 1 a check failed, or the client never connected; 2 usage or
document error.

Examples:
  wsconform judge-client clown --port 0 --exec "node my-dashboard.js"     # the client reads WSCONFORM_URL
  wsconform judge-client kiwi --reporter junit:client.xml                 # a client started elsewhere, on port 7789`,
    load: () => import('./judge-client.js'),
  },
  {
    name: 'export',
    description: 'Write an Artillery load script that performs the document (opening, triggers, pings) and checks its replies.',
    args: [
      { name: 'target', description: 'what to export to: artillery', required: true },
      SPEC_ARG,
    ],
    options: [
      { flags: '-o, --out <dir>', description: 'the folder to write the script, its processor and the document into', default: 'artillery' },
      { flags: '--url <url>', description: "the server under load (default: the document's first server)" },
      { flags: '--duration <time>', description: 'how long new clients arrive (e.g. 60s, 10m)', default: '60s' },
      { flags: '--arrival-rate <n>', description: 'new clients per second', default: '5' },
      { flags: '--pings <n>', description: "application pings per client, each awaiting its pong (without a documented ping: the client listens as long)", default: '10' },
      { flags: '--every <time>', description: 'the pause between pings', default: '1s' },
      { flags: '--timeout <time>', description: 'how long a documented reply may take', default: '2s' },
      { flags: '--token-env <name>', description: 'the environment variable holding the token when the script runs', default: 'WSCONFORM_TOKEN' },
      { flags: '--admin-token-env <name>', description: 'the environment variable holding the admin token', default: 'WSCONFORM_ADMIN_TOKEN' },
    ],
    help: `Each virtual user (Artillery's ws engine; socketio for a Socket.IO document) connects,
performs the document's opening, sends its triggers and pings, and waits for each documented
reply by name however many events come in between; every message it receives is validated
against the document. A reply that does not come fails the user; a message that does not
conform is an error in Artillery's report (counters wsconform.replies.*, wsconform.unanswered.*,
wsconform.messages.valid / .invalid).

The folder holds <id>.artillery.yml, <id>.processor.cjs and <id>.asyncapi.yaml (self-contained).
Artillery is not a dependency of wsconform; the processor needs wsconform installed:
  npm install --save-dev artillery wsconform
  npx artillery run artillery/kiwi.artillery.yml
The same folder runs on Artillery's distributed runners unchanged:
  npx artillery run-fargate --region eu-west-1 --count 10 artillery/kiwi.artillery.yml

Exit codes: 0 written; 2 usage or document error, or --out cannot be written.

Example:
  wsconform export artillery kiwi --url ws://staging.example:8765/api/events --duration 5m --arrival-rate 20`,
    load: () => import('./export.js'),
  },
  {
    name: 'init',
    description: 'Write a protocol document self-contained (schemas inlined), to start your own from it.',
    args: [SPEC_ARG],
    options: [{ flags: '-o, --out <file>', description: 'the document to write (default: <protocol>.asyncapi.yaml)' }],
    help: `A built-in document references its schemas as files of this package; the copy inlines them
under components.schemas, so it loads anywhere. The copy is loaded back before success.

Exit codes: 0 written; 2 usage or document error, or --out cannot be written.

Example:
  wsconform init kiwi --out my-kiwi.asyncapi.yaml && wsconform list my-kiwi.asyncapi.yaml`,
    load: () => import('./init.js'),
  },
  {
    name: 'serve',
    description: 'Run the reference server of a protocol: its fixture replayed to every client, with optional faults.',
    args: [{ ...SPEC_ARG, required: false }],
    options: [
      { flags: '--host <host>', description: 'address to bind', default: '127.0.0.1' },
      { flags: '--port <n>', description: "port (default: the document's own: kiwi 7789, clown/coda/aragora 8765, control plane 8766, gemini-chat 3000; 0 = a free port)" },
      { flags: '--fixture <file>', description: "the scenario to replay (default: fixtures/<protocol>/<default>.jsonl; for your own document, a scenario built from it: initial messages, replies, operations, one of each other message; format in fixtures/README.md)" },
      { flags: '--seed <n>', description: 'seed of the generated ids (client_id, callId, ...)', default: '1' },
      { flags: '--speed <factor>', description: 'pace the stream like the recording, FACTOR times faster (default 1)' },
      { flags: '--instant', description: 'send the stream as fast as each client reads it' },
      { flags: '--token <t>', description: 'token clients must present (aragora: Bearer header or ?token=, optional; gemini-chat: handshake auth.token, default dev-user-token)' },
      { flags: '--admin-token <t>', description: 'admin token of gemini-chat monitoring (default dev-admin-token)' },
      { flags: '--jwt-secret <s>', description: 'also accept HS256 JWTs signed with this secret; a "role": "admin" claim grants admin' },
      { flags: '--fault <name>', description: 'break one documented behaviour (repeatable; see --list-faults)', repeatable: true },
      { flags: '--list-faults', description: 'print every fault with what it breaks and the checks that catch it (of PROTOCOL when given)' },
    ],
    help: `Every connection gets its own replay of the fixture from the start: the same fixture, seed and
client actions give byte-identical frames. Timestamps come from a virtual clock (the fixture's
epoch plus its time), ids from a seeded generator. Once listening, one line with the URL(s) is
printed; SIGINT/SIGTERM close every connection (WebSocket close 1001) and exit 0.

Tokens: aragora is open without --token (connection_info.authenticated false, writes allowed);
with --token T it accepts "Authorization: Bearer T" or ?token=T and downgrades other clients
(authenticated false, writes refused with error or auth_revoked). gemini-chat always needs a
handshake auth.token: dev-user-token and dev-admin-token unless --token/--admin-token are given.
With --jwt-secret S, HS256 JWTs signed with S are valid tokens too, and a "role": "admin" claim
makes one an admin token (the gemini-chat document speaks of JWTs).

Exit codes: 0 stopped by a signal; 2 usage, document or fixture error, unknown fault, port in use.

Examples:
  wsconform serve kiwi                                  # ws://127.0.0.1:7789/api/events
  wsconform serve aragora --port 0 --instant --token s3cret
  wsconform serve coda --speed 10 --fixture my-session.jsonl
  wsconform serve gemini-chat --fault slow-heartbeat
  wsconform serve aragora-control-plane --list-faults`,
    load: () => import('./serve.js'),
  },
];
