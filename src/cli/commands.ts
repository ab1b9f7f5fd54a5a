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
  wsconform validate kiwi fixtures/kiwi/transcript.jsonl`,
    load: () => import('./validate.js'),
  },
  {
    name: 'docs',
    description: 'Generate HTML or Markdown documentation with @asyncapi/generator (offline).',
    args: [{ name: 'protocol', description: 'a built-in protocol id, the path of an AsyncAPI document, or all', required: true }],
    options: [
      { flags: '-o, --out <dir>', description: 'output folder', default: 'docs' },
      { flags: '--format <format>', description: 'html, markdown or both', default: 'html', choices: ['html', 'markdown', 'both'] },
    ],
    help: `Needs the optional docs tooling (not needed by run, serve or validate):
  npm install --save-dev @asyncapi/generator @asyncapi/html-template @asyncapi/markdown-template

Examples:
  wsconform docs aragora --out docs/aragora            # one self-contained index.html
  wsconform docs my-protocol.yaml --format markdown    # docs/index.md
  wsconform docs all --format both --out docs          # docs/<id>/{html,markdown}/`,
    load: () => import('./docs.js'),
  },
  {
    name: 'types',
    description: "Write TypeScript types for a protocol's messages (name → payload maps included).",
    args: [SPEC_ARG],
    options: [{ flags: '-o, --out <file>', description: 'the .ts file to write', default: 'protocol-types.ts' }],
    help: `Needs the optional json-schema-to-typescript package (npm install --save-dev json-schema-to-typescript).
The built-in protocols' types ship with the package: import type { ServerEvents } from 'wsconform/types/kiwi'.

Example:
  wsconform types my-protocol.yaml --out src/my-protocol-types.ts`,
    load: () => import('./types.js'),
  },
];
