"""An independent Aragora server that drifts from its document the way real servers do.

- stream events are batched into JSON arrays, per agent;
- timestamps of votes are ISO 8601 strings instead of epoch seconds;
- critiques lack the documented `severity`;
- an undocumented `heartbeat` event appears.
The initial messages, get_loops and the envelope otherwise conform. Prints its port.
"""
import asyncio
import json
import time

import websockets


def event(kind, data, seq, **extra):
    return {"type": kind, "data": data, "timestamp": time.time(), "seq": seq, "loop_id": "loop_1", **extra}


async def handler(ws, path=None):
    await ws.send(json.dumps({"type": "connection_info", "data": {"authenticated": False, "client_id": "py-1", "write_access": True}}))
    await ws.send(json.dumps({"type": "loop_list", "data": {"loops": [{"loop_id": "loop_1"}], "count": 1}}))
    seq = 0
    for round_ in range(1, 4):
        batch = []
        for agent in ("claude", "gpt"):
            seq += 1
            batch.append(event("agent_message", {"content": f"round {round_}", "role": "proposal"}, seq, agent=agent, agent_seq=round_, round=round_))
        await ws.send(json.dumps(batch))
    for _ in range(3):
        seq += 1
        vote = event("vote", {"vote": "A", "confidence": 0.7}, seq)
        vote["timestamp"] = "2026-01-20T11:30:00Z"
        await ws.send(json.dumps(vote))
    for _ in range(2):
        seq += 1
        await ws.send(json.dumps(event("critique", {"target": "gpt", "issues": ["vague"], "content": "Too vague."}, seq)))
    for _ in range(4):
        seq += 1
        await ws.send(json.dumps(event("heartbeat", {}, seq)))
    async for raw in ws:
        try:
            message = json.loads(raw)
        except ValueError:
            await ws.send(json.dumps({"type": "error", "data": {"message": "Invalid JSON"}}))
            continue
        if isinstance(message, dict) and message.get("type") == "get_loops":
            await ws.send(json.dumps({"type": "loop_list", "data": {"loops": [{"loop_id": "loop_1"}], "count": 1}}))


async def main():
    async with websockets.serve(handler, "127.0.0.1", 0) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


asyncio.run(main())
