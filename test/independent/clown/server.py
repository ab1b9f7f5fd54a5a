#!/usr/bin/python3
"""Clown daemon WebSocket event server, written from SEED.md ("WebSocket Events Reference").

Endpoint: ws://127.0.0.1:<port>/ws.  Every message is a JSON object
{"type": ..., "timestamp": "YYYY-MM-DDTHH:MM:SSZ", "data": {...}}.

The server simulates a running daemon: a small "world" of profiles, agents, registry
syncs, proxies and usage imports, whose events are broadcast to every connected client
(the document: "By default, clients receive all events").  Nothing is sent on connect
beyond the live stream.  Client messages are accepted and ignored (filtering is only a
"future version" feature in the document).  See FAULTS.md for the decisions and faults.
"""
import argparse
import asyncio
import json
import logging
import os
import random
import signal
import sys
import time
from datetime import datetime, timezone
from http import HTTPStatus

import websockets

VERSION = "0.1.0"
WS_PATH = "/ws"
MAX_FRAME = 64 * 1024        # client frames above this are refused (close 1009)
QUEUE_LIMIT = 1000           # per-client backlog before we drop a slow consumer
FAULTS = ("epoch-timestamp", "sync-end-before-start")

FAULT = None                 # selected --fault, or None for conforming behaviour
CLIENTS = {}                 # websocket -> asyncio.Queue of outgoing JSON strings

# ---------------------------------------------------------------- envelope / broadcast

def timestamp():
    """RFC 3339 UTC, second precision, 'Z' suffix -- exactly like the document's examples."""
    if FAULT == "epoch-timestamp":
        return int(time.time())                      # FAULT: number instead of the string
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def broadcast(etype, data):
    """Stamp one event and queue the same text for every connected client."""
    msg = json.dumps({"type": etype, "timestamp": timestamp(), "data": data})
    for ws, queue in list(CLIENTS.items()):
        try:
            queue.put_nowait(msg)
        except asyncio.QueueFull:                    # client not reading: cut it loose
            CLIENTS.pop(ws, None)
            asyncio.ensure_future(ws.close(1013, "slow consumer"))

# ---------------------------------------------------------------- the simulated world

# (agent id, display name, binary path, first detected version)
AGENTS = [("claude", "Claude Code", "/usr/local/bin/claude", "1.0.0"),
          ("codex", "Codex CLI", "/usr/local/bin/codex", "0.21.0"),
          ("gemini", "Gemini CLI", "/opt/homebrew/bin/gemini", "0.1.12"),
          ("opencode", "OpenCode", "/home/dev/.local/bin/opencode", "0.3.4")]
# (agent id, provider id, model, USD per 1M input tokens, USD per 1M output tokens)
MODELS = [("claude", "anthropic", "claude-sonnet-4", 3.0, 15.0),
          ("claude", "anthropic", "claude-opus-4", 15.0, 75.0),
          ("claude", "anthropic", "claude-3-5-haiku", 0.8, 4.0),
          ("codex", "openai", "gpt-5", 1.25, 10.0),
          ("codex", "openai", "o4-mini", 1.1, 4.4),
          ("gemini", "google", "gemini-2.5-pro", 1.25, 10.0),
          ("gemini", "google", "gemini-2.5-flash", 0.3, 2.5),
          ("opencode", "openrouter", "deepseek-chat", 0.27, 1.1),
          ("opencode", "openrouter", "qwen3-coder", 0.2, 0.8)]
PROJECTS = ["my-project", "webapp", "api-server", "docs-site", "ml-pipeline", "infra", "cli-tool"]
CHANGEABLE = ["model", "hooks_config", "provider_id", "env", "mcp_servers", "system_prompt"]
# long-lived profiles that existed before the daemon started; proxies run for these
STANDING = {"work": MODELS[0], "personal": MODELS[3], "oss": MODELS[6]}
PROXY_ERRORS = ["Upstream connection reset", "Provider returned 529 Overloaded",
                "Request timeout after 30s", "TLS handshake with upstream failed"]
SYNC_ERRORS = ["Network timeout", "Connection refused", "Invalid registry signature",
               "HTTP 503 from registry"]


class World:
    """State shared by the scenarios, so that the emitted events stay consistent."""

    def __init__(self):
        self.agents = {}                              # agent id -> current version
        self.seq = 0                                  # profile alias suffix counter
        self.proxy_runs = 0
        self.syncs = 0
        self.commits = {}                             # channel -> last synced commit
        self.totals = {p: [0, 0] for p in STANDING}   # cumulative tokens per profile
        self.next_port = 8081

    @staticmethod
    def pid():
        return random.randint(1000, 65000)


def usage(world, profile, model, add_in, add_out):
    """UsageUpdated payload: cumulative token totals for the profile, cost derived from them."""
    tot = world.totals.setdefault(profile, [0, 0])
    tot[0] += add_in
    tot[1] += add_out
    cost = round(tot[0] * model[3] / 1e6 + tot[1] * model[4] / 1e6, 6)
    return {"profile": profile,
            "tokens": {"input_tokens": tot[0], "output_tokens": tot[1]},
            "cost": {"total_cost": float(cost)}}


def profile_scenario(w):
    """Create -> update -> start -> usage... -> stop -> (usually) delete."""
    w.seq += 1
    alias = f"{random.choice(PROJECTS)}-{w.seq}"
    model = random.choice(MODELS)
    yield "ProfileCreated", {"alias": alias, "agent_id": model[0],
                             "provider_id": model[1], "model": model[2]}
    yield "ProfileUpdated", {"alias": alias,
                             "changes": random.sample(CHANGEABLE, random.randint(1, 3))}
    started = time.monotonic()
    yield "ProfileStarted", {"alias": alias, "pid": w.pid()}
    for _ in range(random.randint(2, 4)):
        yield "UsageUpdated", usage(w, alias, model, random.randint(800, 6000),
                                    random.randint(200, 2500))
    yield "ProfileStopped", {"alias": alias, "exit_code": random.choice([0, 0, 0, 1, 130]),
                             "runtime_secs": int(time.monotonic() - started)}
    w.totals.pop(alias, None)
    if w.seq == 1 or random.random() < 0.7:          # the first one is always cleaned up
        yield "ProfileDeleted", {"alias": alias}


def proxy_scenario(w):
    """Start -> usage through the proxy -> (every other run) error -> stop."""
    w.proxy_runs += 1
    profile = random.choice(list(STANDING))
    port, w.next_port = w.next_port, (w.next_port - 8081 + 1) % 100 + 8081
    yield "ProxyStarted", {"profile": profile, "port": port, "pid": w.pid()}
    yield "UsageUpdated", usage(w, profile, STANDING[profile], random.randint(500, 9000),
                                random.randint(100, 3000))
    failed = w.proxy_runs % 2 == 1
    if failed:
        yield "ProxyError", {"profile": profile, "error": random.choice(PROXY_ERRORS)}
    yield "ProxyStopped", {"profile": profile, "exit_code": 1 if failed else 0}


def registry_scenario(w):
    """Sync started -> completed or failed (the second sync, then ~1 in 4, fails)."""
    w.syncs += 1
    channel = random.choice(["stable", "stable", "stable", "beta", "nightly"])
    force = random.random() < 0.2
    begin = ("RegistrySyncStarted", {"channel": channel, "force": force})
    if w.syncs == 2 or (w.syncs > 2 and random.random() < 0.25):
        end = ("RegistrySyncFailed", {"error": random.choice(SYNC_ERRORS)})
    else:
        from_cache = not force and channel in w.commits and random.random() < 0.5
        if not from_cache:
            w.commits[channel] = "%07x" % random.getrandbits(28)
        end = ("RegistrySyncCompleted", {
            "channel": channel, "commit": w.commits[channel], "from_cache": from_cache,
            "artifacts_downloaded": 0 if from_cache else random.randint(1, 12)})
    if FAULT == "sync-end-before-start":
        begin, end = end, begin                       # FAULT: outcome before the start
    yield begin
    yield end


def bump(version):
    major, minor, patch = (int(p) for p in version.split("."))
    return f"{major}.{minor + 1}.0" if random.random() < 0.3 else f"{major}.{minor}.{patch + 1}"


def agent_scenario(w):
    """Detect one not-yet-seen agent (if any), then report a version change of a known one."""
    unseen = [a for a in AGENTS if a[0] not in w.agents]
    if unseen:
        aid, name, path, version = unseen[0]
        w.agents[aid] = version
        yield "AgentDetected", {"id": aid, "name": name, "version": version,
                                "binary_path": path}
    aid = random.choice(list(w.agents))
    old = w.agents[aid]
    w.agents[aid] = bump(old)
    yield "AgentUpdated", {"id": aid, "old_version": old, "new_version": w.agents[aid]}


def import_scenario(w):
    yield "UsageImported", {"source": random.choice(["claude", "codex", "gemini"]),
                            "records_imported": random.randint(1, 400)}


SCENARIOS = {"profile": profile_scenario, "proxy": proxy_scenario,
             "registry": registry_scenario, "agent": agent_scenario,
             "import": import_scenario}
# one scheduling round; the profile lifecycle is longest, so it gets two turns per round.
# Imports are rarer: only every third round (starting with the first) includes one.
ROUND = ["profile", "profile", "proxy", "registry", "agent"]


async def event_pump(wake):
    """Interleave the scenarios, one event every 10-50 ms, while anyone is listening."""
    world, running, rounds = None, {}, 0
    while True:
        if not CLIENTS:
            world = None                  # nobody watching: next listener gets a fresh world
            wake.clear()
            await wake.wait()
            continue
        if world is None:
            world, running, rounds = World(), {}, 0
        order = ROUND + (["import"] if rounds % 3 == 0 else [])
        rounds += 1
        random.shuffle(order)
        for kind in order:
            if not CLIENTS:
                break
            event = None
            while event is None:          # finished scenario -> start a new one of that kind
                gen = running.get(kind) or SCENARIOS[kind](world)
                running[kind] = gen
                event = next(gen, None)
                if event is None:
                    running[kind] = None
            broadcast(*event)
            await asyncio.sleep(random.uniform(0.010, 0.050))

# ---------------------------------------------------------------- connections

async def process_request(path, headers):
    """Only /ws exists (a query string is tolerated); anything else is a plain 404."""
    if path.split("?", 1)[0] != WS_PATH:
        return HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain")], b"Not Found\n"
    return None


async def send_loop(ws, queue):
    try:
        while True:
            await ws.send(await queue.get())
    except websockets.ConnectionClosed:
        pass


async def handler(ws, wake):
    queue = asyncio.Queue(QUEUE_LIMIT)
    CLIENTS[ws] = queue
    wake.set()
    sender = asyncio.create_task(send_loop(ws, queue))
    try:
        # The document defines no client->server messages for this version (the
        # "subscribe" action is announced for future versions), so anything a client
        # sends -- JSON, garbage or binary -- is read and ignored.  Oversized frames
        # make websockets close the connection with 1009.
        async for _ in ws:
            pass
    except websockets.ConnectionClosed:
        pass
    finally:
        CLIENTS.pop(ws, None)
        sender.cancel()


async def main(port):
    wake = asyncio.Event()
    server = await websockets.serve(lambda ws: handler(ws, wake), "127.0.0.1",
                                    port, process_request=process_request,
                                    max_size=MAX_FRAME)
    print(server.sockets[0].getsockname()[1], flush=True)
    # DaemonStarted is emitted once, at start-up; no client can be connected yet.
    broadcast("DaemonStarted", {"version": VERSION, "pid": os.getpid()})
    pump = asyncio.create_task(event_pump(wake))

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    await stop.wait()

    # Clean shutdown: stop the stream, tell clients why, let queues drain, close (1001).
    pump.cancel()
    broadcast("DaemonShuttingDown", {"reason": "signal"})
    deadline = time.monotonic() + 0.5
    while any(not q.empty() for q in CLIENTS.values()) and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="Clown daemon WebSocket event server")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--fault", choices=FAULTS, default=None)
    ap.add_argument("--token", help="ignored: the document defines no authentication")
    ap.add_argument("--admin-token", help="ignored: the document defines no authentication")
    args = ap.parse_args()
    FAULT = args.fault
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    asyncio.run(main(args.port))
