#!/usr/bin/python3
"""Self-test for server.py.

    /usr/bin/python3 test_client.py            # normal run + each fault
    /usr/bin/python3 test_client.py --only normal|heartbeat-ref|tick-after-leave

Starts server.py with --port 0, reads "LISTENING <port>", runs every check.
In normal mode every check must pass.  With a fault, exactly the check that
the fault targets must fail and every other check must pass.
"""

import argparse
import asyncio
import http.client
import json
import os
import signal
import subprocess
import sys
import time

import websockets
import websockets.exceptions

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "server.py")
PY = "/usr/bin/python3"

EXPECTED_FAILURE = {
    "normal": set(),
    "heartbeat-ref": {"heartbeat"},
    "tick-after-leave": {"leave"},
}


class Check(Exception):
    pass


def expect(cond, msg):
    if not cond:
        raise Check(msg)


class Client:
    def __init__(self, ws):
        self.ws = ws
        self.ref = 0
        self.backlog = []

    @classmethod
    async def open(cls, port, query="?vsn=2.0.0"):
        ws = await websockets.connect(
            "ws://127.0.0.1:%d/socket/websocket%s" % (port, query),
            compression=None, ping_interval=None)
        return cls(ws)

    def next_ref(self):
        self.ref += 1
        return str(self.ref)

    async def send(self, frame):
        await self.ws.send(json.dumps(frame))

    async def push(self, topic, event, payload, join_ref=None):
        ref = self.next_ref()
        await self.send([join_ref, ref, topic, event, payload])
        return ref

    async def join(self, topic, payload=None):
        ref = self.next_ref()
        await self.send([ref, ref, topic, "phx_join", payload or {}])
        return ref

    async def recv(self, timeout=2.0):
        if self.backlog:
            return self.backlog.pop(0)
        raw = await asyncio.wait_for(self.ws.recv(), timeout)
        frame = json.loads(raw)
        expect(isinstance(frame, list) and len(frame) == 5,
               "server frame is not a 5-element array: %r" % raw)
        return frame

    async def wait_for(self, pred, timeout=2.0, what="frame"):
        """Return the first frame matching pred; others are kept in order."""
        deadline = time.monotonic() + timeout
        skipped = []
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Check("timed out waiting for %s (skipped %r)" % (what, skipped[-5:]))
                try:
                    frame = await self.recv(left)
                except asyncio.TimeoutError:
                    raise Check("timed out waiting for %s (skipped %r)" % (what, skipped[-5:]))
                if pred(frame):
                    return frame
                skipped.append(frame)
        finally:
            self.backlog = skipped + self.backlog

    async def reply_to(self, ref, topic, timeout=2.0):
        return await self.wait_for(
            lambda f: f[3] == "phx_reply" and f[1] == ref and f[2] == topic,
            timeout, "phx_reply ref=%s topic=%s" % (ref, topic))

    def drop(self, pred):
        self.backlog = [f for f in self.backlog if not pred(f)]

    async def close(self):
        await self.ws.close()


def is_tick(f):
    return f[3] == "tick"


# ------------------------------------------------------------------ checks
async def check_heartbeat(port):
    c = await Client.open(port)
    ref = await c.push("phoenix", "heartbeat", {})
    f = await c.wait_for(lambda f: f[2] == "phoenix", what="heartbeat reply")
    expect(f == [None, ref, "phoenix", "phx_reply", {"status": "ok", "response": {}}],
           "heartbeat reply %r" % f)
    await c.close()


async def check_join_and_ticks(port):
    c = await Client.open(port)
    ref = await c.join("room:lobby")
    f = await c.recv()
    expect(f == [ref, ref, "room:lobby", "phx_reply", {"status": "ok", "response": {}}],
           "first frame after join must be the ok reply, got %r" % f)
    ns = []
    while len(ns) < 3:
        t = await c.wait_for(is_tick, 1.0, "tick")
        expect(t[0] is None and t[1] is None and t[2] == "room:lobby",
               "tick envelope %r" % t)
        expect(set(t[4]) == {"n"} and isinstance(t[4]["n"], int), "tick payload %r" % t)
        ns.append(t[4]["n"])
    expect(ns == sorted(ns) and len(set(ns)) == 3, "tick n not increasing: %r" % ns)
    await c.close()


async def check_secret_refused(port):
    c = await Client.open(port)
    ref = await c.join("room:secret")
    f = await c.reply_to(ref, "room:secret")
    expect(f == [ref, ref, "room:secret", "phx_reply",
                 {"status": "error", "response": {"reason": "unauthorized"}}],
           "secret join reply %r" % f)
    # not joined: a push there is an unmatched topic
    pref = await c.push("room:secret", "ping", {})
    f = await c.reply_to(pref, "room:secret")
    expect(f[4] == {"status": "error", "response": {"reason": "unmatched topic"}},
           "push after refused join %r" % f)
    await c.close()


async def check_ping(port):
    c = await Client.open(port)
    jr = await c.join("room:lobby")
    await c.reply_to(jr, "room:lobby")
    ref = await c.push("room:lobby", "ping", {}, join_ref=jr)
    f = await c.reply_to(ref, "room:lobby")
    expect(f == [jr, ref, "room:lobby", "phx_reply",
                 {"status": "ok", "response": {"pong": True}}], "ping reply %r" % f)
    # the guide says join_ref may be null for messages other than phx_join
    ref = await c.push("room:lobby", "ping", {}, join_ref=None)
    f = await c.reply_to(ref, "room:lobby")
    expect(f == [jr, ref, "room:lobby", "phx_reply",
                 {"status": "ok", "response": {"pong": True}}], "ping reply (null jr) %r" % f)
    await c.close()


async def check_new_msg(port):
    a = await Client.open(port)
    b = await Client.open(port)
    ja = await a.join("room:42")
    await a.reply_to(ja, "room:42")
    jb = await b.join("room:42")
    await b.reply_to(jb, "room:42")
    ref = await a.push("room:42", "new_msg", {"body": "hello"}, join_ref=ja)
    r = await a.reply_to(ref, "room:42")
    expect(r == [ja, ref, "room:42", "phx_reply", {"status": "ok", "response": {}}],
           "new_msg reply %r" % r)
    want = [None, None, "room:42", "new_msg", {"body": "hello"}]
    fa = await a.wait_for(lambda f: f[3] == "new_msg", what="new_msg at sender")
    fb = await b.wait_for(lambda f: f[3] == "new_msg", what="new_msg at other member")
    expect(fa == want and fb == want, "broadcast %r / %r" % (fa, fb))
    await a.close()
    await b.close()


async def check_unmatched(port):
    c = await Client.open(port)
    ref = await c.push("room:lobby", "new_msg", {"body": "x"})
    f = await c.reply_to(ref, "room:lobby")
    expect(f == [None, ref, "room:lobby", "phx_reply",
                 {"status": "error", "response": {"reason": "unmatched topic"}}],
           "push to unjoined topic %r" % f)
    jref = await c.join("nosuch:topic")
    f = await c.reply_to(jref, "nosuch:topic")
    expect(f == [None, jref, "nosuch:topic", "phx_reply",
                 {"status": "error", "response": {"reason": "unmatched topic"}}],
           "join of unrouted topic %r" % f)
    await c.close()


async def check_leave(port):
    c = await Client.open(port)
    jr = await c.join("room:lobby")
    await c.reply_to(jr, "room:lobby")
    await c.wait_for(is_tick, 1.0, "tick before leave")
    ref = await c.push("room:lobby", "phx_leave", {}, join_ref=jr)
    r = await c.reply_to(ref, "room:lobby")
    expect(r == [jr, ref, "room:lobby", "phx_reply", {"status": "ok", "response": {}}],
           "leave reply %r" % r)
    cl = await c.wait_for(lambda f: f[3] == "phx_close", what="phx_close")
    expect(cl == [jr, jr, "room:lobby", "phx_close", {}], "phx_close %r" % cl)
    # anything that was already in flight before the close is discarded
    c.backlog = []
    try:
        f = await c.wait_for(is_tick, 0.8, "tick after leave")
    except Check:
        f = None
    expect(f is None, "tick received after phx_leave/phx_close: %r" % f)
    pref = await c.push("room:lobby", "ping", {})
    f = await c.reply_to(pref, "room:lobby")
    expect(f[4]["status"] == "error", "push after leave %r" % f)
    await c.close()


async def check_duplicate_join(port):
    c = await Client.open(port)
    j1 = await c.join("room:dup")
    await c.reply_to(j1, "room:dup")
    j2 = await c.join("room:dup")
    r = await c.reply_to(j2, "room:dup")
    expect(r == [j2, j2, "room:dup", "phx_reply", {"status": "ok", "response": {}}],
           "second join reply %r" % r)
    cl = await c.wait_for(lambda f: f[3] == "phx_close", what="phx_close of first join")
    expect(cl == [j1, j1, "room:dup", "phx_close", {}], "dup close %r" % cl)
    ref = await c.push("room:dup", "ping", {}, join_ref=j2)
    f = await c.reply_to(ref, "room:dup")
    expect(f[0] == j2 and f[4]["status"] == "ok", "ping after rejoin %r" % f)
    await c.close()


async def check_crash(port):
    c = await Client.open(port)
    jr = await c.join("room:7")
    await c.reply_to(jr, "room:7")
    await c.push("room:7", "no_such_event", {}, join_ref=jr)
    f = await c.wait_for(lambda f: f[2] == "room:7", what="phx_error")
    expect(f == [jr, jr, "room:7", "phx_error", {}], "crash %r" % f)
    ref = await c.push("room:7", "ping", {})
    f = await c.reply_to(ref, "room:7")
    expect(f[4]["response"] == {"reason": "unmatched topic"}, "after crash %r" % f)
    await c.close()


async def check_invalid_json(port):
    for bad in ("not json", '{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"1"}',
                '[null,"1","phoenix","heartbeat"]'):
        c = await Client.open(port)
        await c.ws.send(bad)
        try:
            await asyncio.wait_for(c.ws.recv(), 2)
            raise Check("server answered invalid frame %r" % bad)
        except websockets.exceptions.ConnectionClosed as exc:
            expect(exc.rcvd is not None and exc.rcvd.code == 1011,
                   "close code for %r: %r" % (bad, exc.rcvd))


def http_status(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
    conn.request("GET", path, headers={
        "Connection": "Upgrade", "Upgrade": "websocket",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"})
    status = conn.getresponse().status
    conn.close()
    return status


async def check_http(port):
    s = http_status(port, "/other/websocket?vsn=2.0.0")
    expect(s == 404, "other path status %s" % s)
    s = http_status(port, "/socket/websocket?vsn=1.0.0")
    expect(s == 403, "vsn=1.0.0 status %s" % s)
    s = http_status(port, "/socket/websocket?vsn=2.0.0")
    expect(s == 101, "vsn=2.0.0 status %s" % s)


CHECKS = [
    ("heartbeat", check_heartbeat),
    ("join_and_ticks", check_join_and_ticks),
    ("secret_refused", check_secret_refused),
    ("ping", check_ping),
    ("new_msg", check_new_msg),
    ("unmatched", check_unmatched),
    ("leave", check_leave),
    ("duplicate_join", check_duplicate_join),
    ("crash", check_crash),
    ("invalid_json", check_invalid_json),
    ("http", check_http),
]


def start_server(fault):
    cmd = [PY, SERVER, "--port", "0"]
    if fault != "normal":
        cmd += ["--fault", fault]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline().strip()
    if not line.startswith("LISTENING "):
        proc.kill()
        raise SystemExit("bad first line from server: %r" % line)
    return proc, int(line.split()[1])


def run_mode(mode):
    proc, port = start_server(mode)
    failed = set()
    try:
        for name, fn in CHECKS:
            try:
                asyncio.run(asyncio.wait_for(fn(port), 15))
                print("  PASS %s" % name)
            except (Check, asyncio.TimeoutError, OSError,
                    websockets.exceptions.WebSocketException) as exc:
                failed.add(name)
                print("  FAIL %s: %s" % (name, exc))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = "killed"
    clean = rc == 0
    print("  server exit after SIGTERM: %s" % rc)
    ok = failed == EXPECTED_FAILURE[mode] and clean
    print("%s: %s (failed=%s, expected=%s)" % (
        mode, "OK" if ok else "UNEXPECTED", sorted(failed), sorted(EXPECTED_FAILURE[mode])))
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=sorted(EXPECTED_FAILURE))
    args = ap.parse_args()
    modes = [args.only] if args.only else ["normal", "heartbeat-ref", "tick-after-leave"]
    results = []
    for mode in modes:
        print("== mode %s" % mode)
        results.append(run_mode(mode))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
