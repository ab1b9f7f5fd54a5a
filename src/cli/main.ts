/**
 * The `wsconform` command line. Commands are declared as data in `commands.ts` and load their
 * implementation lazily, so `wsconform list` does not pay for the reference server or the docs
 * generator. Exit codes: 0 success, 1 a verdict failed (invalid lines, a MUST check failed),
 * 2 usage or document errors, or an unreachable server.
 */
import { Command, CommanderError, Option } from 'commander';
import { KitError } from '../spec/errors.js';
import { COMMANDS } from './commands.js';
import { VERSION } from './version.js';

/** Thrown by commands for usage errors found after parsing (exit 2). */
export class UsageError extends Error {}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = { out: process.stdout, err: process.stderr }): Promise<number> {
  const program = new Command('wsconform')
    .description('Specify, serve and test real-time JSON event streams over WebSocket and Socket.IO.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .showHelpAfterError('(run with --help for usage)');
  program.addHelpText(
    'after',
    `\nProtocols built in: kiwi, clown, coda, aragora, aragora-control-plane, gemini-chat;\nor give the path of your own AsyncAPI 3.0 document with an x-wsconform extension.\n\nExit codes: 0 ok; 1 a verdict failed; 2 usage or document error, or server unreachable.`,
  );
  let code = 0;
  for (const spec of COMMANDS) {
    const cmd = program.command(spec.name).description(spec.description).exitOverride();
    for (const a of spec.args) cmd.argument(a.required ? `<${a.name}>` : `[${a.name}]`, a.description);
    for (const o of spec.options) {
      const opt = new Option(o.flags, o.description);
      if (o.default !== undefined) opt.default(o.default);
      if (o.choices) opt.choices(o.choices);
      if (o.repeatable) opt.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
      cmd.addOption(opt);
    }
    if (spec.help) cmd.addHelpText('after', `\n${spec.help}`);
    cmd.action(async (...args: unknown[]) => {
      const opts = (args[spec.args.length] ?? {}) as Record<string, unknown>;
      const positional = args.slice(0, spec.args.length) as (string | undefined)[];
      const mod = await spec.load();
      code = await mod.default({ args: positional, opts, io });
    });
  }
  try {
    await program.parseAsync(argv, { from: 'node' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    if (err instanceof KitError) {
      io.err.write(`wsconform: ${err.message} [${err.code}]\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      io.err.write(`wsconform: ${err.message}\n(run with --help for usage)\n`);
      return 2;
    }
    io.err.write(`wsconform: internal error: ${(err as Error).stack ?? err}\n`);
    return 2;
  }
}
