import { afterEach, describe, expect, it } from 'vitest';
import { kiwiEvents, kiwiServer, type TestServer } from './servers.js';
import { result, run } from './suite.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('transcripts around occurrences (run option contextFrames)', () => {
  it('keep the frames before and after an observation frame, the offending one included', async () => {
    const [a, b, c, d] = kiwiEvents(3);
    server = await kiwiServer({ frames: [a, b, c, 'garbage!!', d] });
    const report = await run('kiwi', server.url, { only: ['envelope/json-objects'], contextFrames: 2 });
    const [occurrence] = result(report, 'envelope/json-objects').findings[0].occurrences;
    const k = occurrence.frameIndex!;
    expect(occurrence.frame).toBe('garbage!!');
    expect(occurrence.transcript!.map((t) => t.frameIndex)).toEqual([k - 2, k - 1, k, k + 1, k + 2]);
    expect(occurrence.transcript!.find((t) => t.frameIndex === k)).toMatchObject({ dir: 'in', frame: 'garbage!!' });
    expect(occurrence.transcript!.map((t) => t.frame)).toContain(JSON.stringify(c));
    expect(occurrence.transcript!.map((t) => t.frame)).toContain(JSON.stringify(d));
  });

  it("come from the check's own connection when the occurrence does not name it", async () => {
    server = await kiwiServer({ noPong: true });
    const report = await run('kiwi', server.url, { only: ['ping-pong/app-ping'], contextFrames: 3 });
    const [occurrence] = result(report, 'ping-pong/app-ping').findings[0].occurrences;
    expect(occurrence.connection).toBeUndefined();
    expect(occurrence.transcript!.find((t) => t.frameIndex === occurrence.frameIndex)!.frame).toBe(occurrence.frame);
    expect(occurrence.transcript!.filter((t) => t.dir === 'out').map((t) => t.frame)).toContain('{"type":"ping"}');
  });

  it('are left out by default', async () => {
    server = await kiwiServer({ frames: ['garbage!!'] });
    const report = await run('kiwi', server.url, { only: ['envelope/json-objects'] });
    expect(result(report, 'envelope/json-objects').findings[0].occurrences[0]).toEqual({ frameIndex: 0, frame: 'garbage!!' });
  });
});
