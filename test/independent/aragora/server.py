#!/usr/bin/env python3
"""Aragora debate-stream WebSocket server (independent implementation).

Debate-stream part of "WebSocket Events Reference" (SEED.md): paths / and /ws,
optional token auth, connection_info/loop_list/sync on connect, a broadcast flow of
StreamEvent envelopes from simulated loops, and the client messages get_loops,
user_vote, user_suggestion, wisdom_submission.  Decisions and faults: FAULTS.md.
Usage: server.py [--port N] [--fault NAME] [--token T] [--max-per-ip N]
"""
import argparse, asyncio, hmac, json, logging, random, secrets, signal, sys, time
from collections import defaultdict
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import websockets

log = logging.getLogger("aragora.stream")
FAULTS = ("timestamp-ms", "no-root-path")
MAX_FRAME = 64 * 1024      # bigger client frames are closed with 1009 by websockets
MAX_TEXT = 2000            # max characters of a suggestion / wisdom text
QUEUE_LIMIT = 2000         # outbound backlog per client before it is dropped
LOOP_GRACE = 30.0          # seconds an ended loop still accepts audience input
WRITE_TYPES = ("user_vote", "user_suggestion", "wisdom_submission")

# ---------------------------------------------------------------- scenario data
PROVIDERS = {"anthropic-api": "anthropic", "openai-api": "openai", "gemini": "google",
             "grok": "xai", "mistral-api": "mistral", "deepseek": "deepseek",
             "qwen": "alibaba", "kimi": "moonshot"}
AGENTS = list(PROVIDERS)
TASKS = [("Design a rate limiter for the public API", ["Use token bucket", "Use a sliding window log"]),
         ("Choose storage for event-sourced billing", ["PostgreSQL append-only tables", "Kafka"]),
         ("Should the monolith become microservices?", ["Strangler-fig extraction", "Modular monolith"]),
         ("Plan the rollout of a breaking API change", ["Versioned endpoints", "Per-client feature flags"]),
         ("Pick a caching strategy for product pages", ["CDN stale-while-revalidate", "Redis write-through"])]
REASONS = ["it keeps p99 latency predictable under burst load", "it is simple to operate",
           "it degrades gracefully when a dependency fails", "it lets us roll back within minutes",
           "the migration cost is bounded and incremental"]
ISSUES = ["No rollback plan", "Ignores clock skew", "Cost estimate missing", "Unclear on-call ownership",
          "Hot-key contention not addressed", "Assumes a single writer", "No load-test evidence"]
MOODS = ["confident", "contentious", "collaborative", "skeptical", "tense"]
# Short feature-gated sequences, emitted in order: (type, agent-attributed?, payload);
# "{id}" in a string value is replaced by one id shared by the whole sequence.
SEQUENCES = [
    [("audit_start", 0, {"audit_id": "audit-{id}", "target": "billing design"}),
     ("audit_round", 0, {"audit_id": "audit-{id}", "round": 1}),
     ("audit_finding", 1, {"audit_id": "audit-{id}", "severity": "high", "finding": "No idempotency keys"}),
     ("audit_cross_exam", 1, {"audit_id": "audit-{id}", "question": "What happens on retry?"}),
     ("audit_verdict", 0, {"audit_id": "audit-{id}", "verdict": "revise", "confidence": 0.81})],
    [("breakpoint", 0, {"breakpoint_id": "bp-{id}", "reason": "deadlock_detected"}),
     ("breakpoint_resolved", 0, {"breakpoint_id": "bp-{id}", "resolution": "human_guidance"})],
    [("graph_branch_created", 0, {"branch_id": "br-{id}", "reason": "disagreement"}),
     ("graph_branch_merged", 0, {"branch_id": "br-{id}", "strategy": "synthesis"})],
    [("memory_tier_promotion", 0, {"memory_id": "m-{id}", "from_tier": "fast", "to_tier": "medium"}),
     ("memory_tier_demotion", 0, {"memory_id": "m-{id}", "from_tier": "slow", "to_tier": "glacial"})],
    [("claim_verification_result", 1, {"claim_id": "c-{id}", "verified": True, "method": "evidence"}),
     ("formal_verification_result", 0, {"claim_id": "c-{id}", "status": "proven", "prover": "z3"})],
    [("trait_emerged", 1, {"trait": "contrarian", "confidence": 0.66}),
     ("risk_warning", 0, {"level": "medium", "message": "Single point of failure in design"})],
    [("genesis_evolution", 0, {"generation": 4, "population": 8}),
     ("training_data_exported", 0, {"records": 1200, "format": "jsonl"})],
    [("grounded_verdict", 0, {"verdict": "supported", "citations": 3}),
     ("moment_detected", 1, {"moment_type": "breakthrough", "significance": 0.9})],
    [("mood_shift", 0, {"from_mood": "tense", "to_mood": "collaborative"})],
    [("km_retry_exhausted", 0, {"operation": "upsert_node", "attempts": 3}),
     ("km_integrity_error", 0, {"node_id": "n-{id}", "error": "checksum mismatch"})],
    [("template_instantiated", 0, {"template_id": "custom/{id}", "pattern": "review-loop"}),
     ("telemetry_redaction", 1, {"fields_redacted": 2})],
    [("leaderboard_update", 0, {"top": ["anthropic-api", "openai-api", "gemini"]}),
     ("calibration_update", 1, {"brier_score": 0.18})],
]


def words_chunks(text):
    """Split a response into streaming deltas of 2-5 words (kept with spaces)."""
    words, out = text.split(" "), []
    while words:
        n = random.randint(2, 5)
        out.append(" ".join(words[:n]) + (" " if len(words) > n else ""))
        words = words[n:]
    return out


class LoopState:
    """Cached state of one debate loop (what loop_list / sync report)."""

    def __init__(self):
        self.loop_id = "loop_" + secrets.token_hex(4)
        self.name = random.choice(["aragora-main", "nomic-self-improve", "arena-eval",
                                   "gauntlet-redteam", "audience-live"]) + "-" + secrets.token_hex(2)
        self.started_at, self.active, self.ended_at = time.time(), False, None
        self.debate_id = self.task = None
        self.agents, self.round, self.phase, self.debates = [], 0, "idle", 0
        self.votes, self.weighted = defaultdict(int), defaultdict(float)
        self.hist = defaultdict(lambda: {str(i): 0 for i in range(1, 11)})
        self.conviction = {str(i): 0 for i in range(1, 11)}
        self.suggestions, self.pending, self.wisdom = 0, 0, []

    def summary(self):
        return {"loop_id": self.loop_id, "name": self.name, "started_at": self.started_at,
                "debate_id": self.debate_id, "phase": self.phase, "cycle": self.debates}

    def snapshot(self):
        return dict(self.summary(), task=self.task, agents=list(self.agents),
                    round=self.round, audience=self.metrics())

    def metrics(self):
        return {"votes": dict(self.votes),
                "weighted_votes": {k: round(v, 2) for k, v in self.weighted.items()},
                "suggestions": self.suggestions, "total": sum(self.votes.values()) + self.suggestions,
                "histograms": {k: dict(v) for k, v in self.hist.items()},
                "conviction_distribution": dict(self.conviction)}


class Client:
    """One connection: identity, auth state and an outbound queue + writer task."""

    def __init__(self, ws, authenticated, write_access, token):
        self.ws, self.id = ws, secrets.token_hex(16)
        self.authenticated, self.write_access, self.token = authenticated, write_access, token
        self.queue = asyncio.Queue(QUEUE_LIMIT)

    def send(self, msg_type, data):          # control messages: {"type", "data"} only
        self.push(json.dumps({"type": msg_type, "data": data}))

    def error(self, message, code):
        self.send("error", {"message": message, "code": code})

    def push(self, text):
        try:
            self.queue.put_nowait(text)
            return True
        except asyncio.QueueFull:
            return False

    async def writer(self):
        try:
            while True:
                await self.ws.send(await self.queue.get())
        except websockets.ConnectionClosed:
            pass


class StreamServer:
    def __init__(self, token, fault, max_per_ip):
        self.token, self.fault, self.max_per_ip = token, fault, max_per_ip
        self.clients = {}                     # websocket -> Client
        self.per_ip = defaultdict(int)
        self.seq, self.agent_seq, self.cycle = 0, defaultdict(int), 0
        self.loops = {}                       # loop_id -> LoopState (active + recently ended)

    # ------------------------------------------------------------ auth / routing
    def credentials(self, path, headers):
        """Tokens the client presented: Bearer header and/or ?token= query."""
        found = []
        auth = headers.get("Authorization", "")
        if auth[:7].lower() == "bearer " and auth[7:].strip():
            found.append(auth[7:].strip())
        found += [t for t in parse_qs(urlsplit(path).query).get("token", []) if t]
        return found

    def valid(self, tok):
        return bool(self.token) and hmac.compare_digest(tok.encode(), self.token.encode())

    def auth_state(self, path, headers):
        """'open' (no token configured), 'ok', 'anonymous' (read-only) or 'bad'."""
        if not self.token:
            return "open", None
        creds = self.credentials(path, headers)
        good = [t for t in creds if self.valid(t)]
        if good:
            return "ok", good[0]
        return ("bad" if creds else "anonymous"), None

    async def process_request(self, path, headers):
        allowed = ("/ws",) if self.fault == "no-root-path" else ("/", "/ws")
        if urlsplit(path).path not in allowed:
            return HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain")], b"Not Found\n"
        if self.auth_state(path, headers)[0] == "bad":
            return (HTTPStatus.UNAUTHORIZED, [("Content-Type", "text/plain"),
                    ("WWW-Authenticate", "Bearer")], b"Invalid API token\n")
        return None                           # continue with the WebSocket handshake

    # ------------------------------------------------------------ emitting
    def emit(self, etype, data, agent=None, rnd=None, loop_id=None):
        """Build one StreamEvent envelope and broadcast it to every client."""
        self.seq += 1
        now = time.time()
        ev = {"type": etype, "data": data,
              "timestamp": int(now * 1000) if self.fault == "timestamp-ms" else now}
        if rnd is not None:                   # round/agent/agent_seq only when relevant
            ev["round"] = rnd
        ev["seq"] = self.seq
        if agent is not None:
            self.agent_seq[agent] += 1
            ev["agent"], ev["agent_seq"] = agent, self.agent_seq[agent]
        if loop_id is not None:               # only for loop-scoped events
            ev["loop_id"] = loop_id
        text = json.dumps(ev)
        for c in list(self.clients.values()):
            if not c.push(text):              # hopelessly behind: drop it
                log.warning("dropping slow client %s", c.id)
                self.clients.pop(c.ws, None)
                asyncio.ensure_future(c.ws.close(1008, "client too slow"))

    def active_loops(self):
        return [l for l in self.loops.values() if l.active]

    def loop_list(self):
        loops = [l.summary() for l in self.active_loops()]
        return {"loops": loops, "count": len(loops)}

    # ------------------------------------------------------------ connections
    async def handler(self, ws):
        ip = ws.remote_address[0] if ws.remote_address else "unknown"
        if self.max_per_ip is not None and self.per_ip.get(ip, 0) >= self.max_per_ip:
            await ws.close(4029, "too many connections")
            return
        self.per_ip[ip] += 1
        state, tok = self.auth_state(ws.path, ws.request_headers)
        c = Client(ws, authenticated=(state == "ok"), write_access=(state != "anonymous"), token=tok)
        # Queue the initial messages and register for broadcast without awaiting in
        # between, so the sync snapshots are consistent with the events that follow.
        c.send("connection_info", {"authenticated": c.authenticated, "client_id": c.id,
                                   "write_access": c.write_access})
        c.send("loop_list", self.loop_list())
        for loop in self.active_loops():
            c.send("sync", loop.snapshot())
        self.clients[ws] = c
        writer = asyncio.ensure_future(c.writer())
        try:
            async for raw in ws:
                try:
                    self.on_message(c, raw)
                except Exception:             # a bug must never kill the connection
                    log.exception("error handling message")
                    c.error("Internal server error", "internal_error")
        except websockets.ConnectionClosed:
            pass
        finally:
            self.clients.pop(ws, None)
            self.per_ip[ip] -= 1
            if self.per_ip[ip] <= 0:
                del self.per_ip[ip]
            writer.cancel()

    def on_message(self, c, raw):
        if isinstance(raw, bytes):
            return c.error("Binary frames are not supported", "invalid_message")
        try:
            msg = json.loads(raw)
        except ValueError:
            return c.error("Invalid JSON", "invalid_json")
        if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
            return c.error("Message must be a JSON object with a string 'type'", "invalid_message")
        mtype = msg["type"]
        if mtype == "get_loops":
            return c.send("loop_list", self.loop_list())
        if mtype not in WRITE_TYPES:
            return c.error("Unknown message type: %s" % mtype[:64], "unknown_type")
        # Write messages: re-check auth on every message.
        if c.authenticated and not (c.token and self.valid(c.token)):
            c.authenticated = c.write_access = False
            return c.send("auth_revoked", {"message": "API token is no longer valid"})
        if not c.write_access:
            return c.error("Authentication required for %s" % mtype, "auth_required")
        loop = self.loops.get(msg.get("loop_id")) if isinstance(msg.get("loop_id"), str) else None
        if loop is None:
            return c.error("Unknown or missing loop_id", "unknown_loop")
        getattr(self, "on_" + mtype)(c, msg, loop)

    def ack(self, c, mtype, loop, message):
        c.send("ack", {"msg_type": mtype, "loop_id": loop.loop_id, "message": message})

    def on_user_vote(self, c, msg, loop):
        p = msg.get("payload")
        choice = p.get("choice") if isinstance(p, dict) else None
        if not isinstance(choice, str) or not choice.strip() or len(choice) > 200:
            return c.error("payload.choice must be a non-empty string (max 200 chars)", "invalid_payload")
        if choice.strip() not in loop.votes and len(loop.votes) >= 50:
            return c.error("Too many distinct choices for this loop", "invalid_payload")
        inten = p.get("intensity", 5)
        if isinstance(inten, bool) or not isinstance(inten, int) or not 1 <= inten <= 10:
            return c.error("payload.intensity must be an integer from 1 to 10", "invalid_payload")
        choice = choice.strip()
        loop.votes[choice] += 1
        loop.weighted[choice] += 0.5 + (inten - 1) / 6.0  # 1 -> 0.5, 7 -> 1.5, 10 -> 2.0
        loop.hist[choice][str(inten)] += 1
        loop.conviction[str(inten)] += 1
        loop.pending += 1
        self.ack(c, "user_vote", loop, "Vote recorded")
        self.emit("user_vote", {"choice": choice, "intensity": inten}, loop_id=loop.loop_id)
        self.emit("audience_metrics", loop.metrics(), loop_id=loop.loop_id)

    def _text(self, c, text, field):
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
            c.error("%s must be a non-empty string (max %d chars)" % (field, MAX_TEXT), "invalid_payload")
            return None
        return text.strip()

    def on_user_suggestion(self, c, msg, loop):
        p = msg.get("payload")
        text = self._text(c, p.get("text") if isinstance(p, dict) else None, "payload.text")
        if text is not None:
            loop.suggestions += 1
            loop.pending += 1
            self.ack(c, "user_suggestion", loop, "Suggestion received")
            self.emit("user_suggestion", {"text": text}, loop_id=loop.loop_id)

    def on_wisdom_submission(self, c, msg, loop):
        text = self._text(c, msg.get("text"), "text")
        if text is not None:
            loop.wisdom.append(text)
            self.ack(c, "wisdom_submission", loop, "Wisdom submitted")

    # ------------------------------------------------------------ live stream
    async def run_stream(self):
        """One event every 10-25 ms, drawn from two debate loops and two background
        generators of non-debate (global) events."""
        slots = [self.new_loop(), self.new_loop()]
        bg = [self.background(), self.background()]      # two interleaved global activities
        for n, (loop, gen) in zip((random.randint(30, 90), random.randint(1, 30)), slots):
            for ev in (next(gen, None) for _ in range(n)):   # warm up: loops start mid-debate
                if ev:
                    self.emit(*ev, loop_id=loop.loop_id)
        while True:
            await asyncio.sleep(random.uniform(0.01, 0.025))
            i = random.choices((0, 1, 2, 3), weights=(3, 3, 2, 2))[0]
            if i >= 2:
                self.emit(*next(bg[i - 2]))
                continue
            ev = next(slots[i][1], None)
            if ev is None:                    # loop finished: a new loop takes the slot
                slots[i] = self.new_loop()
                ev = next(slots[i][1])
            self.emit(*ev, loop_id=slots[i][0].loop_id)

    def new_loop(self):
        now = time.time()
        for lid in [k for k, l in self.loops.items() if l.ended_at and now - l.ended_at > LOOP_GRACE]:
            del self.loops[lid]
        loop = LoopState()
        self.loops[loop.loop_id] = loop
        return loop, self.loop_script(loop)

    def loop_script(self, L):
        L.active = True                       # becomes visible as the register is emitted
        yield "loop_register", {"loop_id": L.loop_id, "name": L.name, "started_at": L.started_at}, None, None
        for _ in range(random.randint(2, 3)):
            yield from self.debate_script(L)
            L.debates += 1
        L.active, L.ended_at, L.phase = False, time.time(), "ended"
        yield "loop_unregister", {"loop_id": L.loop_id, "name": L.name}, None, None

    def token_stream(self, did, agent, role, rnd, content):
        """token_start, token_delta*, token_end, then the complete agent_message."""
        sid = secrets.token_hex(4)
        yield "token_start", {"debate_id": did, "stream_id": sid, "role": role}, agent, rnd
        deltas = words_chunks(content)
        for i, d in enumerate(deltas):
            yield "token_delta", {"debate_id": did, "stream_id": sid, "token": d, "index": i}, agent, rnd
        yield "token_end", {"debate_id": did, "stream_id": sid, "token_count": len(deltas)}, agent, rnd
        yield "agent_message", {"debate_id": did, "content": content, "role": role}, agent, rnd

    def debate_script(self, L):
        """One debate: start, rounds of streamed proposals + critiques, votes,
        consensus, end, then post-debate analytics (ELO, explainability)."""
        task, options = random.choice(TASKS)
        did, t0 = "debate-" + secrets.token_hex(4), time.time()
        agents = random.sample(AGENTS, random.choice((2, 3, 3, 4)))
        L.debate_id, L.task, L.agents, L.round, L.phase = did, task, agents, 0, "setup"
        rounds, failures = random.randint(2, 3), {}
        stance = {a: random.choice(options) for a in agents}

        def E(etype, agent=None, rnd=None, **data):       # every payload carries debate_id
            return etype, dict(debate_id=did, **data), agent, rnd
        yield E("debate_start", task=task, agents=agents)
        if random.random() < 0.5:
            yield E("memory_recall", query=task, count=2,
                    memories=["Prior debate favoured incremental rollout", "Incident: cache stampede"])
        for r in range(1, rounds + 1):
            L.round, L.phase = r, "proposal"
            yield E("round_start", rnd=r, round=r)
            if L.pending:                                   # audience input folded into the round
                yield E("audience_drain", rnd=r, drained=L.pending)
                L.pending = 0
            role, live, streams = ("proposal" if r == 1 else "revision"), list(agents), []
            if len(agents) > 2 and random.random() < 0.2:   # one agent times out this round
                bad = live.pop(random.randrange(len(live)))
                failures.setdefault(bad, []).append(
                    {"phase": role, "error_type": "timeout", "message": "Agent response was empty",
                     "provider": PROVIDERS[bad], "timestamp": time.time()})
                yield E("agent_error", bad, r, error_type="timeout", message="Agent response was empty",
                        recoverable=True, phase=role)
            for a in live:
                old = stance[a]
                if r > 1 and random.random() < 0.2:
                    stance[a] = random.choice([o for o in options if o != old])
                    yield E("flip_detected", a, r, previous=old, current=stance[a], flip_type="reversal")
                text = "%s %s, because %s." % ("I propose:" if r == 1 else "Revised:", stance[a],
                                              random.choice(REASONS))
                streams.append(self.token_stream(did, a, role, r, text))
            while streams:                                  # interleave concurrent token streams
                s = random.choice(streams)
                ev = next(s, None)
                if ev is None:
                    streams.remove(s)
                else:
                    yield ev
            L.phase = "critique"
            for a in live:
                target, issues = random.choice([x for x in agents if x != a]), random.sample(ISSUES, 2)
                yield E("critique", a, r, target=target, issues=issues,
                        severity=round(random.uniform(.1, .9), 2), content="; ".join(issues) + ".")
            yield random.choice([E("mood_detected", rnd=r, mood=random.choice(MOODS), confidence=0.6),
                                 E("rhetorical_observation", live[0], r, pattern="appeal_to_authority"),
                                 E("evidence_found", live[-1], r, source="postmortems", relevance=0.8),
                                 E("graph_node_added", rnd=r, node_id="node-" + secrets.token_hex(3)),
                                 E("debate_energy", rnd=r, energy=round(random.random(), 2))])
        L.phase, tally = "voting", defaultdict(int)
        for a in agents:
            if a not in failures or random.random() < 0.5:
                tally[stance[a]] += 1
                yield E("vote", a, rounds, vote=stance[a], confidence=round(random.uniform(0.55, 0.95), 2))
        answer, n = max(tally.items(), key=lambda kv: kv[1]) if tally else (options[0], 0)
        reached = n * 2 > len(agents)
        conf = round(random.uniform(0.7, 0.95) if reached else random.uniform(0.3, 0.6), 2)
        yield E("uncertainty_analysis", rnd=rounds, collective_confidence=conf,
                disagreement=round(1 - n / len(agents), 2))
        if reached and random.random() < 0.25:
            yield E("hollow_consensus", rnd=rounds, evidence_quality=0.31)
            yield E("trickster_intervention", rnd=rounds, action="challenge_evidence", targets=agents[:2])
        status = ("insufficient_participation" if sum(tally.values()) < 2
                  else "consensus_reached" if reached else "completed")
        L.phase = "consensus"
        yield E("consensus", rnd=rounds, reached=reached, confidence=conf, answer=answer,
                status=status, agent_failures=failures)
        if L.votes:
            yield E("audience_summary", top_choice=max(L.votes, key=L.votes.get), total=sum(L.votes.values()))
        yield E("debate_end", duration=round(time.time() - t0, 3), rounds=rounds)
        L.phase = "analysis"
        yield E("match_recorded", winner=random.choice(agents), participants=agents)
        for a in agents:
            yield E("agent_elo_updated", a, elo=round(random.uniform(1400, 1700), 1),
                    delta=round(random.uniform(-16, 16), 1))
        yield E("explainability_started")
        yield E("explainability_factors", factors_count=random.randint(3, 9),
                top_factor={"name": "evidence_quality", "contribution": round(random.uniform(.2, .5), 2)})
        for step in ("counterfactual", "provenance", "narrative", "complete"):
            yield E("explainability_" + step)
        if random.random() < 0.5:
            yield E("insight_extracted", insight="Rollback plans dominate critiques", confidence=0.7)

    def background(self):
        """Endless non-debate (global, loop-less) events: nomic cycles, gauntlet runs,
        template executions, KM resilience, telemetry, probes, rankings."""
        def E(etype, agent=None, **data):
            return etype, data, agent, None
        while True:
            k, ag = random.randrange(8), random.choice(AGENTS)
            if k == 0:
                self.cycle += 1
                cycle = self.cycle
                tid, ok = "task-" + secrets.token_hex(3), random.random() < 0.8
                yield E("cycle_start", cycle=cycle)
                for ph in ("context", "debate", "design", "implement", "verify"):
                    yield E("phase_start", cycle=cycle, phase=ph)
                    if ph == "implement":
                        yield E("task_start", task_id=tid, description="Refactor event emitter")
                        if random.random() < 0.4:
                            yield E("task_retry", task_id=tid, attempt=2, max_attempts=3)
                        yield E("task_complete", task_id=tid, success=True)
                    if ph == "verify":
                        yield E("verification_start", cycle=cycle, checks=["tests", "lint", "types"])
                        yield E("verification_result", cycle=cycle, passed=ok)
                        yield E("backup_created", backup_id="bk-%d" % cycle)
                        yield (E("commit", cycle=cycle, sha=secrets.token_hex(20)) if ok
                               else E("backup_restored", backup_id="bk-%d" % cycle))
                    yield E("phase_end", cycle=cycle, phase=ph, success=ok or ph != "verify")
                yield E("log_message", level="info", message="cycle %d finished" % cycle)
                yield E("cycle_end", cycle=cycle, success=ok)
            elif k == 1:
                gid, rid = "gauntlet-" + secrets.token_hex(3), "receipt-" + secrets.token_hex(3)
                yield E("gauntlet_start", gauntlet_id=gid, target="rate-limiter-spec", agents=AGENTS[:3])
                yield E("gauntlet_phase", gauntlet_id=gid, phase="red_team")
                yield E("gauntlet_agent_active", ag, gauntlet_id=gid, role="attacker")
                yield E("gauntlet_attack", ag, gauntlet_id=gid, attack_type="prompt_injection")
                yield E("gauntlet_probe", ag, gauntlet_id=gid, probe_type="contradiction")
                yield E("gauntlet_finding", gauntlet_id=gid, severity="medium", title="Unbounded retries")
                yield E("gauntlet_verification", gauntlet_id=gid, verified=True)
                yield E("gauntlet_risk", gauntlet_id=gid, risk_score=round(random.random(), 2))
                yield E("gauntlet_progress", gauntlet_id=gid, progress=0.9)
                yield E("gauntlet_verdict", gauntlet_id=gid, verdict="pass", confidence=0.92)
                yield E("gauntlet_complete", gauntlet_id=gid, duration=round(random.uniform(5, 60), 1))
                yield E("receipt_generated", receipt_id=rid, debate_id=gid, verdict="pass",
                        confidence=0.92, hash="sha256:" + secrets.token_hex(32))
                yield (E("receipt_verified", receipt_id=rid, valid=True) if random.random() < .9
                       else E("receipt_integrity_failed", receipt_id=rid, reason="hash mismatch"))
                yield E("receipt_exported", receipt_id=rid, format=random.choice(("json", "md", "sarif")))
                yield E("receipt_shared", receipt_id=rid, url="https://aragora.ai/r/" + rid)
            elif k == 2:
                eid, steps = "exec-" + secrets.token_hex(3), random.randint(3, 6)
                yield E("template_execution_started", execution_id=eid, template_id="security/code-review")
                for n in range(1, steps + 1):
                    yield E("template_execution_step", execution_id=eid, step="step_%d" % n, ok=True)
                    yield E("template_execution_progress", execution_id=eid,
                            template_id="security/code-review", progress_pct=n * 100 // steps,
                            current_step="step_%d" % n,
                            steps_completed=n, steps_total=steps)
                yield (E("template_execution_complete", execution_id=eid, duration=2.5) if random.random() < .8
                       else E("template_execution_failed", execution_id=eid, error="step timed out"))
            elif k == 3:
                yield E("km_circuit_breaker_state", service="postgres", state="open",
                        previous_state="closed", failures=5,
                        recovery_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 30)))
                yield E("km_cache_invalidated", cache="embeddings", keys=random.randint(1, 500))
            elif k == 4:
                yield E("telemetry_thought", ag, thought="weighing latency against cost")
                yield E("telemetry_capability", ag, capability="code_review", score=0.8)
                yield E("telemetry_diagnostic", component="emitter", queue_depth=random.randint(0, 40))
            elif k == 5:
                pid = "probe-" + secrets.token_hex(3)
                yield E("probe_start", ag, probe_id=pid, probe_types=["contradiction", "sycophancy"])
                yield E("probe_result", ag, probe_id=pid, probe_type="contradiction", passed=True)
                yield E("probe_complete", ag, probe_id=pid, vulnerability_rate=round(random.random() / 2, 2))
            else:
                sid = secrets.token_hex(3)
                for etype, attributed, data in random.choice(SEQUENCES):
                    data = {k2: v.replace("{id}", sid) if isinstance(v, str) else v for k2, v in data.items()}
                    yield E(etype, ag if attributed else None, **data)


async def main():
    ap = argparse.ArgumentParser(description="Aragora debate stream WebSocket server")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--fault", choices=FAULTS)
    ap.add_argument("--token")
    ap.add_argument("--max-per-ip", type=int, default=None)
    args = ap.parse_args()
    if args.max_per_ip is not None and args.max_per_ip < 1:
        ap.error("--max-per-ip must be a positive integer")
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    srv = StreamServer(args.token or None, args.fault, args.max_per_ip)
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(
            sig, lambda: stop.done() or stop.set_result(None))
    async with websockets.serve(srv.handler, "127.0.0.1", args.port, max_size=MAX_FRAME,
                                process_request=srv.process_request) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        ticker = asyncio.ensure_future(srv.run_stream())
        await stop
        ticker.cancel()


if __name__ == "__main__":
    asyncio.run(main())
