"""An independent Kiwi event server, written from the Kiwi document alone (Python websockets).

It conforms: every event is {event, data, timestamp (float), source}; {"type": "ping"} gets
{"event": "pong"}. It differs from wsconform's reference server wherever the document leaves
room: other state names and providers, bad input silently dropped, the websockets library's own
frame limit (1 MiB, close 1009). Prints its port, then serves until killed.
"""
import asyncio
import json
import time

import websockets

EVENTS = [
    ("WAKE_WORD_DETECTED", {"text": "kiwi"}, "listener"),
    ("STATE_CHANGED", {"old": "IDLE", "new": "THINKING"}, "assistant"),
    ("SPEECH_RECOGNIZED", {"text": "what time is it", "language": "de"}, "stt"),
    ("SPEAKER_IDENTIFIED", {"name": "Guest", "priority": 2, "confidence": 0.61}, "voiceprint"),
    ("LLM_TOKEN", {"token": "It is "}, "llm"),
    ("LLM_TOKEN", {"token": "noon."}, "llm"),
    ("LLM_COMPLETE", {"text": "It is noon."}, "llm"),
    ("TTS_STARTED", {"text": "It is noon.", "provider": "piper"}, "tts"),
    ("TTS_FINISHED", {}, "tts"),
    ("SOUL_CHANGED", {"soul": "pirate", "name": "Pirate"}, "souls"),
]


async def handler(ws, path=None):
    for name, data, source in EVENTS:
        await ws.send(json.dumps({"event": name, "data": data, "timestamp": time.time(), "source": source}))
    async for raw in ws:
        try:
            message = json.loads(raw)
        except ValueError:
            continue
        if isinstance(message, dict) and message.get("type") == "ping":
            await ws.send(json.dumps({"event": "pong"}))


async def main():
    async with websockets.serve(handler, "127.0.0.1", 0) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


asyncio.run(main())
