#!/usr/bin/python3
"""Kiwi WebSocket event server (independent implementation of SEED.md).

Endpoint:  ws://127.0.0.1:<port>/api/events
Envelope:  {"event": str, "data": object, "timestamp": float, "source": str}
Client:    {"type": "ping"}  ->  {"event": "pong"}

One simulated assistant produces the event stream, and every connected
client gets the same events (broadcast). New clients start receiving at
the next scenario boundary, so every client sees each interaction whole,
from its first event on: wake word before speech, tokens before completion,
TTS start before finish.
"""
import argparse
import asyncio
import datetime
import http
import json
import random
import signal
import sys
import time
import uuid

import websockets

PATH = "/api/events"
MAX_FRAME = 64 * 1024      # client frames above this are refused (close 1009)
QUEUE_LIMIT = 2000         # a client this far behind gets disconnected
FAULTS = ("timestamp-iso-string", "pong-wrong-key")

FAULT = None               # set from the command line
ACTIVE = set()             # queues of clients receiving the broadcast
PENDING = set()            # queues of clients waiting for the next scenario
JOINED = None              # asyncio.Event, set when a client connects


# ----------------------------------------------------------------- envelope
def envelope(event, data, source):
    ts = time.time()                       # Unix timestamp, float
    if FAULT == "timestamp-iso-string":    # FAULT: ISO string, not a float
        ts = datetime.datetime.fromtimestamp(
            ts, datetime.timezone.utc).isoformat()
    return json.dumps({"event": event, "data": data,
                       "timestamp": ts, "source": source})


# ---------------------------------------------------------------- scenarios
# Each scenario yields (event, data, source) tuples in real-world order.
REQUESTS = [
    ("turn on the lights", "en", "Okay, lights are on."),
    ("what's the weather tomorrow", "en", "Sunny tomorrow, 22 degrees."),
    ("set a timer for ten minutes", "en", "Timer set for ten minutes."),
    ("включи музыку", "ru", "Включаю вашу музыку."),
    ("wie spät ist es", "de", "Es ist halb drei."),
    ("remind me to call mom at six", "en", "Sure, reminder set for six."),
]
SOULS = [("comedian", "Comedian"), ("butler", "Butler"),
         ("pirate", "Pirate"), ("default", "Kiwi")]
PROVIDERS = ["kokoro", "piper", "elevenlabs"]
GUESTS = ["Guest", "Anna", "Unknown"]
EXEC_COMMANDS = ["git push", "rm -rf build/", "npm publish", "docker restart web"]


def tokens_of(text):
    """Split a reply into streaming tokens (word pieces keeping spaces)."""
    words = text.split(" ")
    return [w if i == 0 else " " + w for i, w in enumerate(words)]


def state(old, new):
    return ("STATE_CHANGED", {"old": old, "new": new}, "state_machine")


def hear(text, lang, name="Owner", priority=0, conf=None):
    """Wake word, listening, transcription and speaker identification."""
    yield ("WAKE_WORD_DETECTED", {"text": random.choice(["kiwi", "hey kiwi"])},
           "listener")
    yield state("IDLE", "LISTENING")
    yield ("SPEECH_RECOGNIZED", {"text": text, "language": lang}, "stt")
    if conf is None:
        conf = round(random.uniform(0.86, 0.99), 2)
    yield ("SPEAKER_IDENTIFIED",
           {"name": name, "priority": priority, "confidence": conf}, "speaker_id")


def think(reply):
    """LLM streaming: tokens first, then the full response."""
    yield state("LISTENING", "THINKING")
    for tok in tokens_of(reply):
        yield ("LLM_TOKEN", {"token": tok}, "llm")
    yield ("LLM_COMPLETE", {"text": reply}, "llm")


def speak(reply, old="THINKING"):
    yield state(old, "SPEAKING")
    yield ("TTS_STARTED", {"text": reply, "provider": random.choice(PROVIDERS)},
           "tts")
    yield ("TTS_FINISHED", {}, "tts")
    yield state("SPEAKING", "IDLE")


def owner_command():
    text, lang, reply = random.choice(REQUESTS)
    yield from hear(text, lang)
    yield from think(reply)
    yield from speak(reply)


def guest_command():
    text, lang, reply = random.choice(REQUESTS)
    guest = random.choice(GUESTS)
    yield from hear(text, lang, guest, random.choice([1, 2]),
                    round(random.uniform(0.55, 0.8), 2))
    yield ("APPROVAL_REQUESTED", {"speaker": guest, "command": text}, "security")
    approved = random.random() < 0.6
    yield ("APPROVAL_RESOLVED", {"approved": approved, "speaker": guest},
           "security")
    if approved:
        yield from think(reply)
        yield from speak(reply)
    else:
        yield from speak("Sorry, the owner did not approve that.", "LISTENING")


def exec_command():
    cmd = random.choice(EXEC_COMMANDS)
    yield from hear("please run " + cmd, "en")
    yield from think("Running " + cmd + ", awaiting approval.")
    rid = uuid.uuid4().hex[:12]
    yield ("EXEC_APPROVAL_REQUESTED", {"command": cmd, "request_id": rid},
           "openclaw")
    approved = random.random() < 0.7
    yield ("EXEC_APPROVAL_RESOLVED", {"approved": approved, "request_id": rid},
           "openclaw")
    reply = ("Done, " + cmd + " finished.") if approved else "Okay, cancelled."
    yield from speak(reply)


def soul_change():
    soul, name = random.choice(SOULS)
    yield from hear("switch to " + name.lower() + " mode", "en")
    yield state("LISTENING", "THINKING")
    yield ("SOUL_CHANGED", {"soul": soul, "name": name}, "soul_manager")
    yield from speak(name + " mode on!")


def failing_command():
    """A request whose spoken answer fails in the TTS provider."""
    text, lang, reply = random.choice(REQUESTS)
    provider = random.choice(PROVIDERS)
    yield from hear(text, lang)
    yield from think(reply)
    yield state("THINKING", "SPEAKING")
    yield ("ERROR", {"message": provider + " synthesis timed out after 5s",
                     "source": "tts"}, "tts")
    yield state("SPEAKING", "IDLE")


# Rotation: each scenario adds its own event kinds to the core pipeline, so
# any client sees most event kinds within about a second of connecting.
SCENARIOS = [guest_command, exec_command, soul_change, failing_command,
             owner_command]


# ---------------------------------------------------------------- broadcast
async def broadcaster():
    """Run the scenarios forever, fanning each event out to every client."""
    n = 0
    while True:
        while not ACTIVE and not PENDING:  # nobody listening: stay idle
            JOINED.clear()
            await JOINED.wait()
        ACTIVE.update(PENDING)             # admit new clients at a boundary
        PENDING.clear()
        for event, data, source in SCENARIOS[n % len(SCENARIOS)]():
            if not ACTIVE:                 # audience left mid-scenario:
                n -= 1                     # restart it for the next client
                break
            frame = envelope(event, data, source)
            for q in list(ACTIVE):
                if q.qsize() >= QUEUE_LIMIT:
                    ACTIVE.discard(q)      # too slow: its sender will close
                    q.put_nowait(None)
                else:
                    q.put_nowait(frame)
            await asyncio.sleep(random.uniform(0.010, 0.025))
        n += 1


async def sender(ws, q):
    """Write queued broadcast frames to one client, in order."""
    try:
        while True:
            frame = await q.get()
            if frame is None:
                await ws.close(1008, "client too slow")
                return
            await ws.send(frame)
    except websockets.ConnectionClosed:
        pass                               # the handler cleans up


async def handle_message(ws, raw):
    """Answer one client frame. Only {"type": "ping"} is documented."""
    if not isinstance(raw, str):
        return                             # binary frames: ignored
    try:
        msg = json.loads(raw)
    except ValueError:
        return                             # bad JSON: ignored
    if isinstance(msg, dict) and msg.get("type") == "ping":
        if FAULT == "pong-wrong-key":      # FAULT: "type" instead of "event"
            await ws.send(json.dumps({"type": "pong"}))
        else:
            await ws.send(json.dumps({"event": "pong"}))
    # any other message: ignored, the connection stays open


async def handler(ws, path=None):
    q = asyncio.Queue()
    PENDING.add(q)
    JOINED.set()
    task = asyncio.ensure_future(sender(ws, q))
    try:
        async for raw in ws:
            await handle_message(ws, raw)
    except websockets.ConnectionClosed:
        pass
    finally:
        PENDING.discard(q)
        ACTIVE.discard(q)
        task.cancel()


async def process_request(path, headers):
    """Only /api/events (any query string) is a WebSocket endpoint."""
    if path.split("?", 1)[0] != PATH:
        return (http.HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain")],
                b"Not Found\n")
    return None


# --------------------------------------------------------------------- main
async def main(port):
    global JOINED
    JOINED = asyncio.Event()
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    async with websockets.serve(handler, "127.0.0.1", port,
                                process_request=process_request,
                                max_size=MAX_FRAME, max_queue=32) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        bcast = asyncio.ensure_future(broadcaster())
        await stop
        bcast.cancel()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="Kiwi WebSocket event server")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--fault", choices=FAULTS, default=None)
    ap.add_argument("--token", help="ignored: the document has no auth")
    ap.add_argument("--admin-token", help="ignored: the document has no auth")
    args = ap.parse_args()
    FAULT = args.fault
    try:
        asyncio.run(main(args.port))
    except KeyboardInterrupt:
        pass
    sys.exit(0)
