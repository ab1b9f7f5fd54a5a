#!/usr/bin/env python3
"""Coda WebSocket event server (independent implementation of SEED.md).

Broadcast-only: every event produced by the simulated Coda core is sent to
all connected clients.  New clients first get the replay buffer of recent
high-priority events, then the live stream.  Client messages are accepted
and ignored (the document defines none); invalid JSON is logged only.

Usage: python3 server.py [--port N] [--fault NAME] [--token T] [--admin-token A]
       [--ping-interval S] [--ping-timeout S] [--max-replay-events N]
       [--metrics-interval S]
"""
import argparse
import asyncio
import collections
import json
import logging
import random
import signal
import sys
import time
import uuid

import websockets

log = logging.getLogger("coda.ws")
FAULTS = ("no-replay", "timestamp-millis")
PROTOCOL_VERSION = "1.0"
# Events kept in the replay buffer: lifecycle, final results, errors, system
# state.  Streaming/fine-grained events (interim, token, progress, traces) are
# not "high-priority" and are only delivered live.
HIGH_PRIORITY = {
    "system_info", "system_error", "system_metrics", "component_timing",
    "stt_result", "stt_error", "llm_result", "llm_error",
    "tts_result", "tts_error", "tool_result", "tool_error",
    "conversation_start", "conversation_end", "memory_store",
}
MAX_CLIENT_QUEUE = 2000          # per-client backlog before we drop a slow client


class EventHub:
    """Sequencing, replay buffer and fan-out to client queues."""

    def __init__(self, max_replay, fault):
        self.seq = 0
        self.fault = fault
        self.replay = collections.deque(maxlen=max_replay)
        self.clients = {}                       # websocket -> asyncio.Queue
        self.session_id = str(uuid.uuid4())     # current conversation session
        self.timings = collections.defaultdict(list)   # component -> [ms]

    def timestamp(self):
        if self.fault == "timestamp-millis":     # FAULT: integer milliseconds
            return int(time.time() * 1000)
        return round(time.time(), 3)             # float Unix seconds

    def broadcast(self, etype, **fields):
        self.seq += 1
        event = {"version": PROTOCOL_VERSION, "seq": self.seq,
                 "timestamp": self.timestamp(), "type": etype,
                 "session_id": self.session_id, **fields}
        msg = json.dumps(event)
        if etype in HIGH_PRIORITY:
            self.replay.append(msg)
        for ws, q in list(self.clients.items()):
            if q.qsize() >= MAX_CLIENT_QUEUE:    # graceful degradation
                log.warning("dropping slow client %s", ws.remote_address)
                self.clients.pop(ws, None)
                asyncio.ensure_future(ws.close(1008, "client too slow"))
            else:
                q.put_nowait(msg)

    def attach(self, ws):
        """Register a client; replay snapshot and registration happen in one
        synchronous step so no live event is lost or duplicated."""
        q = asyncio.Queue()
        if self.fault != "no-replay":            # FAULT: skip the replay
            for msg in self.replay:
                q.put_nowait(msg)
        self.clients[ws] = q
        return q


# --------------------------------------------------------------- simulation
UTTERANCES = [
    ("what's the weather like in Berlin tomorrow", "get_weather", {"city": "Berlin", "day": "tomorrow"}),
    ("remind me to call Sam at five", "set_reminder", {"text": "call Sam", "time": "17:00"}),
    ("how many days until the end of the month", "calculate", {"expression": "days_until_month_end()"}),
    ("tell me a short joke", None, None),
    ("what did I ask you about yesterday", None, None),
    ("play some relaxing music", "play_music", {"genre": "ambient"}),
    ("what time is it in Tokyo", "get_time", {"timezone": "Asia/Tokyo"}),
    ("summarize my last note", "read_note", {"which": "latest"}),
]
REPLIES = [
    "Sure, here's what I found.", "Tomorrow in Berlin expect 14 degrees and light rain.",
    "Done, I'll remind you at five.", "There are 12 days left this month.",
    "Why did the developer go broke? Because he used up all his cache.",
    "Yesterday you asked about your dentist appointment.", "Playing ambient music now.",
    "It's 3:42 in the morning in Tokyo.", "Your last note was about the project kickoff.",
]
MODELS = ["llama3", "llama3:8b-instruct", "mistral:7b", "qwen2.5:7b"]
VOICES = [("default", "elevenlabs"), ("aria", "elevenlabs"), ("en_US-amy", "piper"), ("af_bella", "kokoro")]
# Error rotation so every error kind shows up regularly (most cycles have one
# failure somewhere, the clean runs in between keep it believable).
ERROR_PLAN = ["tool", None, "stt", "llm", None, "tts", "system"]


class Simulator:
    """Plays realistic conversation scenarios through the hub forever."""

    def __init__(self, hub, metrics_interval):
        self.hub = hub
        self.metrics_interval = metrics_interval
        self.started = time.time()

    async def emit(self, etype, **fields):
        self.hub.broadcast(etype, **fields)
        await asyncio.sleep(random.uniform(0.010, 0.050))

    async def trace(self, component, operation, ms, **meta):
        self.hub.timings[component].append(ms)
        self.hub.timings[component] = self.hub.timings[component][-200:]
        await self.emit("latency_trace", component=component, operation=operation,
                        duration_ms=round(ms, 1), metadata=meta)

    async def run(self):
        cycle = 0
        while True:
            await self.conversation(ERROR_PLAN[cycle % len(ERROR_PLAN)])
            cycle += 1

    async def conversation(self, error):
        hub = self.hub
        hub.session_id = str(uuid.uuid4())
        conv_id, t0, turns = str(uuid.uuid4()), time.time(), 0
        await self.emit("conversation_start", conversation_id=conv_id, mode="voice")
        for turn in range(random.choice((1, 1, 2))):
            turn_error = error if turn == 0 else None
            if turn_error == "system":
                await self.emit("system_error", level="warning", component="gpu",
                                message="GPU memory usage above 90%",
                                details={"gpu_memory_mb": random.randint(7400, 7900), "limit_mb": 8192})
            turns += await self.turn(conv_id, turns, turn_error)
        await self.emit("conversation_end", conversation_id=conv_id, total_turns=turns,
                        duration_ms=round((time.time() - t0) * 1000, 1))

    async def turn(self, conv_id, turns, error):
        """One user->assistant exchange; returns number of turns recorded."""
        text, tool, params = random.choice(UTTERANCES)
        if error == "tool" and tool is None:
            text, tool, params = UTTERANCES[0]
        words = text.split()
        # --- speech to text
        await self.emit("stt_start", mode=random.choice(("continuous", "push_to_talk")))
        for n in sorted(random.sample(range(1, len(words)), min(2, len(words) - 1))):
            await self.emit("stt_interim", text=" ".join(words[:n]),
                            confidence=round(random.uniform(0.55, 0.85), 2))
        if error == "stt":
            await self.emit("stt_error", error="Audio device disconnected",
                            error_type="AudioDeviceError", recoverable=True)
            return 0
        stt_ms = random.uniform(900, 2200)
        await self.emit("stt_result", text=text, confidence=round(random.uniform(0.86, 0.99), 2),
                        duration_ms=round(stt_ms, 1), language="en")
        await self.trace("stt", "transcribe", stt_ms, words=len(words))
        await self.emit("conversation_turn", conversation_id=conv_id, turn_number=turns + 1,
                        role="user", content=text)
        # --- memory + language model
        scores = sorted((round(random.uniform(0.4, 0.95), 2) for _ in range(random.randint(0, 4))), reverse=True)
        await self.emit("memory_retrieve", query=text, results_count=len(scores),
                        relevance_scores=scores, duration_ms=round(random.uniform(3, 40), 1))
        model = random.choice(MODELS)
        await self.emit("llm_start", prompt=text, model=model)
        reply = random.choice(REPLIES)
        tokens = reply.split(" ")
        cut = random.randint(1, len(tokens) - 1)
        for i, tok in enumerate(tokens[:cut]):
            await self.emit("llm_token", token=(" " if i else "") + tok,
                            cumulative_text=" ".join(tokens[:i + 1]))
        if tool:
            call_id = "call_" + uuid.uuid4().hex[:8]
            await self.emit("tool_call", tool_name=tool, parameters=params, call_id=call_id)
            tool_ms = random.uniform(20, 400)
            if error == "tool":
                await self.emit("tool_error", tool_name=tool, call_id=call_id,
                                error="Upstream service timed out", error_type="TimeoutError")
            else:
                await self.emit("tool_result", tool_name=tool, call_id=call_id, success=True,
                                result={"status": "ok"}, duration_ms=round(tool_ms, 1))
            await self.trace("tool", tool, tool_ms)
        if error == "llm":
            await self.emit("llm_error", error="Model context length exceeded",
                            error_type="ContextLengthError", model=model)
            return 1
        for i in range(cut, len(tokens)):
            await self.emit("llm_token", token=" " + tokens[i], cumulative_text=" ".join(tokens[:i + 1]))
        llm_ms = random.uniform(400, 1800)
        await self.emit("llm_result", response=reply, duration_ms=round(llm_ms, 1),
                        token_count=len(tokens), tokens_per_second=round(len(tokens) / (llm_ms / 1000), 2))
        await self.trace("llm", "generate", llm_ms, tokens=len(tokens), model=model)
        # --- text to speech
        voice, engine = random.choice(VOICES)
        await self.emit("tts_start", text=reply, voice=voice, engine=engine)
        for pct in (33.0, 66.0):
            await self.emit("tts_progress", progress_percent=pct, chunks_generated=int(pct // 33))
        tts_ms = random.uniform(300, 900)
        if error == "tts":
            await self.emit("tts_error", error="TTS engine rate limited", error_type="RateLimitError",
                            engine=engine)
        else:
            await self.emit("tts_result", duration_ms=round(tts_ms, 1),
                            audio_duration_ms=round(len(reply) * 65.0, 1), success=True)
            await self.trace("tts", "synthesize", tts_ms, engine=engine)
        await self.emit("conversation_turn", conversation_id=conv_id, turn_number=turns + 2,
                        role="assistant", content=reply)
        await self.emit("memory_store", memory_id=str(uuid.uuid4()), memory_type="conversation",
                        content_preview=(text + " -> " + reply)[:80],
                        importance=round(random.uniform(0.2, 0.9), 2))
        return 2

    async def metrics_loop(self):
        """WebSocketPerfIntegration: metrics every metrics_interval seconds."""
        tick = 0
        while True:
            hub = self.hub
            if tick % 12 == 0:
                hub.broadcast("system_info", info={
                    "version": "2.0.0", "uptime_s": round(time.time() - self.started, 1),
                    "components": {"stt": "whisper-small", "llm": "ollama", "tts": "elevenlabs",
                                   "memory": "chromadb"}})
            hub.broadcast("system_metrics", cpu_percent=round(random.uniform(8, 65), 1),
                          memory_mb=round(random.uniform(1800, 2600), 1),
                          memory_percent=round(random.uniform(22, 35), 1),
                          gpu_utilization_percent=round(random.uniform(5, 95), 1),
                          gpu_memory_mb=round(random.uniform(3000, 7600), 1),
                          connected_clients=len(hub.clients))
            for comp, samples in sorted(hub.timings.items()):
                if samples:
                    s = sorted(samples)
                    hub.broadcast("component_timing", component=comp, count=len(s),
                                  avg_ms=round(sum(s) / len(s), 1), min_ms=round(s[0], 1),
                                  max_ms=round(s[-1], 1), p95_ms=round(s[int(0.95 * (len(s) - 1))], 1))
            tick += 1
            await asyncio.sleep(self.metrics_interval)


# ------------------------------------------------------------------ server
def make_handler(hub):
    async def writer(ws, q):
        try:
            while True:
                await ws.send(await q.get())
        except websockets.ConnectionClosed:
            pass

    async def handler(ws, path=None):
        peer = ws.remote_address
        q = hub.attach(ws)
        log.info("client connected %s path=%s (%d clients)", peer, path, len(hub.clients))
        task = asyncio.ensure_future(writer(ws, q))
        try:
            async for raw in ws:             # documented protocol has no client messages
                if isinstance(raw, bytes):
                    log.info("ignoring binary frame (%d bytes) from %s", len(raw), peer)
                    continue
                try:
                    msg = json.loads(raw)
                except ValueError:
                    log.warning("invalid JSON from %s ignored", peer)
                    continue
                log.info("ignoring client message %r", msg.get("type") if isinstance(msg, dict) else msg)
        except websockets.ConnectionClosed:
            pass
        finally:                             # automatic client cleanup
            hub.clients.pop(ws, None)
            task.cancel()
            log.info("client disconnected %s (%d clients)", peer, len(hub.clients))
    return handler


async def main(args):
    hub = EventHub(args.max_replay_events, args.fault)
    sim = Simulator(hub, args.metrics_interval)
    pos = lambda v: v if v and v > 0 else None   # 0 disables keepalive
    server = await websockets.serve(make_handler(hub), "127.0.0.1", args.port,
                                    ping_interval=pos(args.ping_interval),
                                    ping_timeout=pos(args.ping_timeout))
    print(server.sockets[0].getsockname()[1], flush=True)
    tasks = [asyncio.ensure_future(sim.metrics_loop()), asyncio.ensure_future(sim.run())]
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    await stop
    for t in tasks:
        t.cancel()
    server.close()                            # graceful close (1001) for all clients
    await server.wait_closed()


if __name__ == "__main__":
    p = argparse.ArgumentParser(description="Coda WebSocket event server")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--fault", choices=FAULTS, default=None)
    p.add_argument("--token", help="ignored: the document defines no authentication")
    p.add_argument("--admin-token", help="ignored: the document defines no authentication")
    p.add_argument("--ping-interval", type=float, default=20.0)
    p.add_argument("--ping-timeout", type=float, default=10.0)
    p.add_argument("--max-replay-events", type=int, default=50)
    p.add_argument("--metrics-interval", type=float, default=5.0)
    a = p.parse_args()
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("websockets").setLevel(logging.WARNING)
    try:
        asyncio.run(main(a))
    except KeyboardInterrupt:
        pass
