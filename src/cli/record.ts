/** `wsconform record`: capture a live stream into a fixture that `wsconform serve` replays. */
import { readFileSync, writeFileSync } from 'node:fs';
import { outputFile } from './output.js';
import { resolve } from 'node:path';
import { defaultFixtureOf, record, RecordConnectError, type SendLine } from '../record/recorder.js';
import { SpecError } from '../spec/errors.js';
import { loadSpec } from '../spec/load.js';
import type { CommandImpl } from './commands.js';
import { UsageError } from './main.js';
import { msOption } from './run.js';

/** Reads a `--send` file: JSON Lines of `{"at": ms, "frame": message}` or bare messages (sent at 0). */
export function readSendFile(file: string): SendLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SpecError('WSC_INPUT', `cannot read the --send file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file });
  }
  const out: SendLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('//')) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new SpecError('WSC_INPUT', `not JSON: ${(err as Error).message}`, { file, line: i + 1 });
    }
    const v = value as Record<string, unknown>;
    if (v && typeof v === 'object' && !Array.isArray(v) && 'frame' in v) {
      if (typeof v.at !== 'number' || v.at < 0) throw new SpecError('WSC_INPUT', '"at" must be a number of milliseconds >= 0', { file, line: i + 1 });
      out.push({ at: v.at, frame: v.frame });
    } else out.push({ at: 0, frame: value });
  });
  return out;
}

const impl: CommandImpl = async ({ args, opts, io }) => {
  if (!opts.url) throw new UsageError('record needs --url: the server to record');
  const spec = await loadSpec(args[0]!);
  const duration = msOption(opts.duration, '--duration')!;
  const send = opts.send ? readSendFile(String(opts.send)) : [];
  const out = resolve(String(opts.out));
  outputFile(out, '--out');
  io.err.write(`record: ${opts.url} for ${duration} ms → ${out}\n`);
  // SIGINT/SIGTERM end the recording early: what was recorded so far is written, exit 130.
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let recording;
  try {
    recording = await record({
      signal: interrupt.signal,
      spec,
      url: String(opts.url),
      durationMs: duration,
      send,
      token: opts.token as string | undefined,
      // Live progress on a terminal; a log (CI) gets only the start and summary lines.
      onMessage: (io.err as NodeJS.WriteStream).isTTY ? (n, bad) => io.err.write(`\rrecord: ${n} messages, ${bad} not conforming`) : undefined,
      defaultFixture: opts.defaultFixture ? String(opts.defaultFixture) : defaultFixtureOf(spec),
    });
  } catch (err) {
    if (err instanceof RecordConnectError) {
      io.err.write(`\nwsconform: ${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  writeFileSync(out, recording.text);
  if (!recording.messages && recording.closedBy) {
    io.err.write(`${(io.err as NodeJS.WriteStream).isTTY ? '\n' : ''}wsconform: the connection was closed by the ${recording.closedBy} before anything was recorded (the file holds only the header: ${out})\n`);
    return 1;
  }
  if ((io.err as NodeJS.WriteStream).isTTY) io.err.write('\n');
  const extra = [recording.unreplayable ? `${recording.unreplayable} frames kept as comments (not JSON)` : '', recording.closedBy ? `closed by the ${recording.closedBy}` : ''].filter(Boolean).join('; ');
  const stopped = interrupt.signal.aborted ? '; stopped early by a signal' : '';
  io.out.write(`recorded ${recording.messages} messages (${recording.nonconforming} not conforming, marked "nonconforming") to ${out}${extra ? `; ${extra}` : ''}${stopped}\n`);
  return interrupt.signal.aborted ? 130 : 0;
};

export default impl;
