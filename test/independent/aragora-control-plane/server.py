#!/usr/bin/python3
"""Control Plane Stream server (independent implementation of SEED.md,
section "## Control Plane Stream").

Endpoints : /api/control-plane/stream  and  /ws/control-plane
Envelope  : {"type": str, "timestamp": <epoch seconds, float>, "data": {...}}
On connect: a `connected` event; afterwards a live, simulated orchestration
stream (agents, tasks, system, error events) broadcast to every client.
Client    : {"type": "ping"} -> {"type": "pong", "timestamp": <float>}
            {"type": "subscribe", ...} is documented as "not yet implemented":
            accepted and ignored (no filtering).

Usage: python3 server.py [--port N] [--fault NAME] [--token T]
The control-plane section describes no authentication, so --token is ignored.
"""
import argparse
import asyncio
import http
import json
import logging
import random
import signal
import sys
import time

import websockets

PATHS = ("/api/control-plane/stream", "/ws/control-plane")
FAULTS = ("pong-missing-timestamp", "dead-letter-early")
MAX_FRAME = 64 * 1024          # larger client frames -> close 1009
SLOW_LIMIT = 1024 * 1024       # unsent bytes before a stalled client is dropped
log = logging.getLogger("control-plane")

CAPABILITIES = ["debate", "critique", "summarize", "research", "code_review", "judge"]
MODELS = [("claude-3-opus", "anthropic"), ("claude-3-5-sonnet", "anthropic"),
          ("gpt-4o", "openai"), ("gemini-1.5-pro", "google"),
          ("mistral-large", "mistral"), ("grok-2", "xai")]
SUMMARIES = ["Debate concluded with consensus on a phased rollout.",
             "Critique produced 3 actionable issues (severity 0.4 avg).",
             "Summary generated: 412 words, 5 key points.",
             "Research complete: 7 sources cited.",
             "Review approved with 2 minor comments."]
TASK_ERRORS = ["Agent timeout during execution", "Provider rate limit (429)",
               "Model returned empty response", "Context window exceeded"]
SYS_ERRORS = [("Redis connection lost", "scheduler"),
              ("Heartbeat store write failed", "registry"),
              ("Metrics exporter unreachable", "telemetry"),
              ("Task queue lease renewal failed", "scheduler")]


def hexid(prefix):
    return "%s-%06x" % (prefix, random.getrandbits(24))


class World:
    """Simulated control plane. `stream()` yields (type, data) in a causally
    consistent order: agents register before they claim tasks, tasks are
    submitted -> claimed -> started -> completed/failed, failures are followed
    by task_retrying while retries remain and by task_dead_lettered once
    they are exhausted."""

    def __init__(self, fault):
        self.fault = fault
        self.agents = {}                      # agent_id -> state dict
        self.pending, self.running = set(), set()
        self.completed_today = random.randint(150, 400)
        self.failed_today = random.randint(0, 6)
        self.cycle = 0
        self.degraded = False

    # ---- agent helpers ------------------------------------------------
    def register(self):
        aid = hexid("agent")
        model, provider = random.choice(MODELS)
        caps = random.sample(CAPABILITIES, random.randint(2, 4))
        self.agents[aid] = dict(model=model, provider=provider, caps=caps,
                                status="idle", done=0, last_hb=time.time())
        yield "agent_registered", {"agent_id": aid, "capabilities": caps,
                                   "model": model, "provider": provider}
        return aid

    def set_status(self, aid, new):
        old, self.agents[aid]["status"] = self.agents[aid]["status"], new
        return "agent_status_changed", {"agent_id": aid, "old_status": old,
                                        "new_status": new}

    def heartbeat(self, aid):
        a = self.agents[aid]
        a["last_hb"] = time.time()
        return "agent_heartbeat", {"agent_id": aid, "status": a["status"],
                                   "tasks_completed": a["done"]}

    def retire(self, timeout):
        idle = [k for k, a in self.agents.items() if a["status"] == "idle"]
        if len(self.agents) <= 3 or not idle:
            return
        aid = random.choice(idle)
        if timeout:   # missed heartbeats: timeout, then removal
            yield "agent_timeout", {"agent_id": aid,
                                    "last_heartbeat": self.agents[aid]["last_hb"]}
            yield self.set_status(aid, "offline")
            reason = "heartbeat_timeout"
        else:         # operator drains the agent, then it leaves
            yield self.set_status(aid, "draining")
            reason = random.choice(["graceful_shutdown", "scaled_down"])
        del self.agents[aid]
        yield "agent_unregistered", {"agent_id": aid, "reason": reason}

    # ---- task lifecycles (sub-generators; None = "waiting this tick") --
    def submit(self, task_type=None):
        tid = hexid("task")
        caps = random.choice(list(self.agents.values()))["caps"]
        req = random.sample(caps, random.randint(1, min(2, len(caps))))
        self.pending.add(tid)
        return tid, req, ("task_submitted", {
            "task_id": tid, "task_type": task_type or req[0],
            "priority": random.choice(["low", "normal", "normal", "high", "critical"]),
            "required_capabilities": req})

    def claim(self, tid, req):
        """Wait for an idle agent with the required capabilities, then
        claim + start. Returns the agent id."""
        while True:
            fit = [k for k, a in self.agents.items()
                   if a["status"] == "idle" and set(req) <= set(a["caps"])]
            if fit:
                break
            yield None
        aid = random.choice(fit)
        self.pending.discard(tid)
        self.running.add(tid)
        yield "task_claimed", {"task_id": tid, "agent_id": aid}
        yield self.set_status(aid, "busy")
        yield "task_started", {"task_id": tid, "agent_id": aid}
        return aid

    def finish(self, tid, aid):
        self.running.discard(tid)
        self.agents[aid]["done"] += 1
        self.completed_today += 1
        yield "task_completed", {"task_id": tid, "agent_id": aid,
                                 "result_summary": random.choice(SUMMARIES)}
        yield self.set_status(aid, "idle")

    def normal_task(self):
        tid, req, ev = self.submit()
        yield ev
        yield None
        aid = yield from self.claim(tid, req)
        yield None
        yield from self.finish(tid, aid)

    def flaky_task(self, force_dead_letter):
        """A task that fails; retried while attempts remain."""
        tid, req, ev = self.submit()
        yield ev
        max_attempts = 2 if force_dead_letter else random.choice([2, 3])
        attempt = 1
        while True:
            aid = yield from self.claim(tid, req)
            yield None
            fails = force_dead_letter or random.random() < 0.6
            if not fails:
                yield from self.finish(tid, aid)
                return
            retries_left = max_attempts - attempt
            self.running.discard(tid)
            self.failed_today += 1
            yield "task_failed", {"task_id": tid, "agent_id": aid,
                                  "error": random.choice(TASK_ERRORS),
                                  "retries_left": retries_left}
            yield self.set_status(aid, "idle")
            # FAULT dead-letter-early: dead-letter although retries remain.
            if retries_left == 0 or self.fault == "dead-letter-early":
                yield "task_dead_lettered", {"task_id": tid,
                                             "reason": "Max retries exceeded"}
                return
            attempt += 1
            self.pending.add(tid)
            yield "task_retrying", {"task_id": tid, "attempt": attempt,
                                    "max_attempts": max_attempts}

    def cancelled_task(self):
        tid, _, ev = self.submit()
        yield ev
        yield None
        self.pending.discard(tid)
        yield "task_cancelled", {"task_id": tid, "reason": random.choice(
            ["user_requested", "user_requested", "superseded", "deadline_exceeded"])}

    # ---- system events ------------------------------------------------
    def health(self):
        st = [a["status"] for a in self.agents.values()]
        return "health_update", {
            "status": "degraded" if self.degraded else "healthy",
            "agents": {"total": len(st), "idle": st.count("idle"),
                       "busy": st.count("busy")}}

    def system(self):
        for aid in random.sample(list(self.agents), 2):
            yield self.heartbeat(aid) if aid in self.agents else None
        yield "metrics_update", {
            "tasks_per_minute": round(random.uniform(6.0, 24.0), 1),
            "avg_task_duration": round(random.uniform(1.5, 9.0), 2),
            "queue_depth": len(self.pending)}
        if self.cycle % 2 == 1 or random.random() < 0.3:
            msg, comp = random.choice(SYS_ERRORS)
            self.degraded = True
            yield "error", {"error": msg, "context": {
                "component": comp, "retry_in": random.choice([1, 2, 5, 10])}}
        yield "scheduler_stats", {
            "pending_tasks": len(self.pending), "running_tasks": len(self.running),
            "completed_today": self.completed_today,
            "failed_today": self.failed_today,
            "avg_wait_time": round(random.uniform(0.2, 3.5), 2)}

    @staticmethod
    def interleave(gens):
        """Randomly interleave generators, preserving each one's order."""
        gens = list(gens)
        while gens:
            g = random.choice(gens)
            try:
                ev = next(g)
            except StopIteration:
                gens.remove(g)
                continue
            if ev is not None:
                yield ev

    def stream(self):
        for _ in range(3):                    # initial agent pool
            yield from self.register()
        while True:
            self.cycle += 1
            yield self.health()
            self.degraded = False
            if len(self.agents) < 5:
                aid = yield from self.register()
                yield self.heartbeat(aid)
            first = self.cycle == 1
            work = [self.normal_task(), self.flaky_task(force_dead_letter=first),
                    self.cancelled_task(), self.system()]
            if not first and random.random() < 0.5:
                work.append(self.normal_task())
            yield from self.interleave(work)
            yield from self.retire(timeout=(self.cycle % 2 == 1))


class Server:
    def __init__(self, fault):
        self.fault = fault
        self.clients = set()
        self.sim = None

    @staticmethod
    def envelope(etype, data):
        return json.dumps({"type": etype, "timestamp": time.time(), "data": data})

    async def simulate(self):
        """Broadcast the simulated world; runs while clients are connected."""
        try:
            for etype, data in World(self.fault).stream():
                for ws in [c for c in self.clients if c.transport is not None and
                           c.transport.get_write_buffer_size() > SLOW_LIMIT]:
                    self.clients.discard(ws)   # never reads: drop, don't buffer
                    asyncio.ensure_future(ws.close(1008, "client too slow"))
                websockets.broadcast(self.clients, self.envelope(etype, data))
                await asyncio.sleep(random.uniform(0.010, 0.030))
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("simulation crashed")

    async def process_request(self, path, headers):
        if path.split("?", 1)[0] not in PATHS:
            return http.HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain")], b"Not Found\n"
        return None

    async def handler(self, ws, path):
        try:
            await ws.send(self.envelope(
                "connected", {"message": "Connected to control plane stream"}))
            self.clients.add(ws)              # only now does it get broadcasts
            if self.sim is None or self.sim.done():   # fresh world for 1st client
                self.sim = asyncio.ensure_future(self.simulate())
            async for raw in ws:
                await self.on_message(ws, raw)
        except websockets.ConnectionClosed:
            pass
        finally:
            self.clients.discard(ws)
            if not self.clients and self.sim is not None:
                self.sim.cancel()
                self.sim = None

    async def on_message(self, ws, raw):
        if isinstance(raw, bytes):
            log.info("ignoring binary frame (%d bytes)", len(raw))
            return
        try:
            msg = json.loads(raw)
        except ValueError:
            log.info("ignoring non-JSON message")
            return
        mtype = msg.get("type") if isinstance(msg, dict) else None
        if mtype == "ping":
            pong = {"type": "pong", "timestamp": time.time()}
            if self.fault == "pong-missing-timestamp":
                del pong["timestamp"]            # FAULT: required field missing
            await ws.send(json.dumps(pong))
        elif mtype == "subscribe":
            log.info("subscribe not yet implemented; ignored")
        else:
            log.info("ignoring unknown message type %r", mtype)


async def main(args):
    server = Server(args.fault)
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(
            sig, lambda: stop.done() or stop.set_result(None))
    async with websockets.serve(server.handler, "127.0.0.1", args.port,
                                process_request=server.process_request,
                                max_size=MAX_FRAME, max_queue=32) as ws_server:
        port = ws_server.sockets[0].getsockname()[1]
        sys.stdout.write("%d\n" % port)
        sys.stdout.flush()
        log.info("listening on 127.0.0.1:%d fault=%s", port, args.fault)
        await stop
    if server.sim is not None:
        server.sim.cancel()


if __name__ == "__main__":
    p = argparse.ArgumentParser(description="Aragora control plane stream server")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--fault", choices=FAULTS, default=None)
    p.add_argument("--token", default=None,
                   help="ignored: the control plane stream documents no auth")
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                        format="%(asctime)s %(levelname)s %(message)s")
    asyncio.run(main(p.parse_args()))
