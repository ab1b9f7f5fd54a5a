#!/usr/bin/python3
"""Self-test for server.py: starts it (normal mode and each --fault), talks to
it over WebSocket, and checks the documented behaviour.

Usage: /usr/bin/python3 test_client.py [-v]
Exit status 0 when every check behaves as expected (the normal server passes
all checks; each faulty server fails the check aimed at its fault).
"""

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time

import websockets

HERE = os.path.dirname(os.path.abspath(__file__))
VERBOSE = "-v" in sys.argv
HEX32 = re.compile(r"^0x[0-9a-f]{32}$")
HASH = re.compile(r"^0x[0-9a-f]{64}$")
QTY = re.compile(r"^0x(0|[1-9a-f][0-9a-f]*)$")
ADDR_A = "0x8320fe7702b96808f7bbc0d4a888ed1468216cfd"
TOPIC_B = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"


AUTO = object()


class Failed(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failed(what)


def start_server(fault=None):
    cmd = ["/usr/bin/python3", os.path.join(HERE, "server.py"), "--port", "0"]
    if fault:
        cmd += ["--fault", fault]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline()
    m = re.fullmatch(r"LISTENING (\d+)\n", line)
    if not m:
        p.kill()
        raise RuntimeError("bad first line: %r" % line)
    return p, int(m.group(1))


def stop_server(p):
    p.send_signal(signal.SIGTERM)
    try:
        rc = p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        raise Failed("server did not exit on SIGTERM")
    rest = p.stdout.read()
    check(rest == "", "extra stdout output: %r" % rest)
    return rc


class Client:
    def __init__(self, ws):
        self.ws = ws
        self.notes = []       # notifications received
        self.replies = []     # replies (objects or arrays) in order
        self.next_id = 1

    async def pump(self, timeout):
        """Read everything that arrives within `timeout` seconds."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            try:
                raw = await asyncio.wait_for(self.ws.recv(), left)
            except asyncio.TimeoutError:
                return
            msg = json.loads(raw)
            if VERBOSE:
                print("   <<", raw[:200])
            if isinstance(msg, dict) and msg.get("method") == "eth_subscription":
                self.notes.append(msg)
            else:
                self.replies.append(msg)

    async def send_raw(self, text):
        if VERBOSE:
            print("   >>", text[:200])
        await self.ws.send(text)

    async def reply_to_raw(self, text, timeout=2.0):
        """Send raw text, wait for the next non-notification message."""
        self.replies.clear()
        await self.send_raw(text)
        end = time.monotonic() + timeout
        while not self.replies and time.monotonic() < end:
            await self.pump(min(0.05, end - time.monotonic()))
        return self.replies.pop(0) if self.replies else None

    async def call(self, method, params=None, rid=AUTO):
        if rid is AUTO:
            rid = self.next_id
            self.next_id += 1
        req = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            req["params"] = params
        return await self.reply_to_raw(json.dumps(req))


# ---------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------

async def t_plain(c):
    r = await c.call("eth_chainId", [])
    check(r == {"jsonrpc": "2.0", "id": r["id"], "result": "0x539"}, "eth_chainId: %r" % r)
    r1 = await c.call("eth_blockNumber", [])
    check(QTY.match(r1["result"]), "eth_blockNumber hex: %r" % r1)
    await asyncio.sleep(0.5)
    r2 = await c.call("eth_blockNumber")
    check(int(r2["result"], 16) >= int(r1["result"], 16) + 1, "block number grows")


async def t_ids(c):
    for rid in ("abc", 7, 0, -3, 1.5, None, "0x1"):
        r = await c.call("eth_chainId", [], rid=rid)
        check(r is not None and "id" in r and r["id"] == rid and type(r["id"]) is type(rid),
              "id %r echoed: %r" % (rid, r))


async def t_newheads(c):
    r = await c.call("eth_subscribe", ["newHeads"])
    sid = r.get("result")
    check(isinstance(sid, str) and HEX32.match(sid), "subscription id: %r" % r)
    c.notes.clear()
    await c.pump(1.1)
    mine = [n for n in c.notes]
    check(len(mine) >= 3, "got %d newHeads notifications in 1.1s" % len(mine))
    for n in mine:
        check(n.get("jsonrpc") == "2.0" and "id" not in n, "notification shape %r" % n)
        check(n["params"]["subscription"] == sid,
              "notification subscription id %r != %r" % (n["params"]["subscription"], sid))
    hs = [n["params"]["result"] for n in mine]
    for h in hs:
        for k in ("number", "hash", "parentHash", "timestamp", "miner", "gasLimit",
                  "gasUsed", "logsBloom", "stateRoot", "transactionsRoot"):
            check(k in h, "header field %s" % k)
        check(HASH.match(h["hash"]) and HASH.match(h["parentHash"]), "hashes")
        check(len(h["logsBloom"]) == 2 + 512, "bloom length")
    for a, b in zip(hs, hs[1:]):
        check(int(b["number"], 16) == int(a["number"], 16) + 1, "consecutive numbers")
        check(b["parentHash"] == a["hash"], "parentHash chain")
        check(int(b["timestamp"], 16) > int(a["timestamp"], 16), "timestamps increase")
    bn = await c.call("eth_blockNumber", [])
    check(int(bn["result"], 16) >= int(hs[-1]["number"], 16), "blockNumber vs head")
    return sid


async def t_unsubscribe(c, sid):
    r = await c.call("eth_unsubscribe", [sid])
    check(r.get("result") is True, "unsubscribe -> true: %r" % r)
    c.notes.clear()
    await c.pump(0.7)
    late = [n for n in c.notes if n["params"]["subscription"] == sid]
    check(not late, "%d notifications after successful eth_unsubscribe" % len(late))
    r = await c.call("eth_unsubscribe", [sid])
    check(r.get("result") is False, "second unsubscribe -> false: %r" % r)
    r = await c.call("eth_unsubscribe", ["0x" + "ab" * 16])
    check(r.get("result") is False, "unknown id -> false: %r" % r)


async def t_pending(c):
    r = await c.call("eth_subscribe", ["newPendingTransactions"])
    sid = r["result"]
    c.notes.clear()
    await c.pump(1.0)
    got = [n["params"]["result"] for n in c.notes if n["params"]["subscription"] == sid]
    check(got and all(isinstance(x, str) and HASH.match(x) for x in got),
          "pending tx hashes: %r" % got[:3])
    check(len(c.notes) == len(got), "only pending notifications, all with our id")
    await c.call("eth_unsubscribe", [sid])


async def t_logs(c):
    ra = await c.call("eth_subscribe", ["logs", {"address": ADDR_A}])
    rb = await c.call("eth_subscribe", ["logs", {"topics": [TOPIC_B]}])
    rall = await c.call("eth_subscribe", ["logs", {}])
    sa, sb, sall = ra["result"], rb["result"], rall["result"]
    c.notes.clear()
    await c.pump(1.0)
    by = {}
    for n in c.notes:
        by.setdefault(n["params"]["subscription"], []).append(n["params"]["result"])
    check(set(by) <= {sa, sb, sall}, "unknown subscription ids in logs notifications")
    check(by.get(sa) and all(l["address"] == ADDR_A for l in by[sa]), "address filter")
    check(by.get(sb) and all(l["topics"][0] == TOPIC_B for l in by[sb]), "topic filter")
    check(len(by.get(sall, [])) >= len(by.get(sa, [])), "unfiltered gets all")
    for l in by.get(sall, []):
        for k in ("address", "topics", "data", "blockNumber", "blockHash",
                  "transactionHash", "transactionIndex", "logIndex", "removed"):
            check(k in l, "log field %s" % k)
    for s in (sa, sb, sall):
        await c.call("eth_unsubscribe", [s])
    r = await c.call("eth_subscribe", ["logs", {"address": "0x123"}])
    check(r.get("error", {}).get("code") == -32602, "bad address -> -32602: %r" % r)


async def t_syncing(c):
    r = await c.call("eth_subscribe", ["syncing"])
    check(HEX32.match(r["result"]), "syncing id")
    r2 = await c.call("eth_unsubscribe", [r["result"]])
    check(r2["result"] is True, "unsubscribe syncing")


async def t_errors(c):
    def err(r, code, rid="__any__"):
        return (isinstance(r, dict) and r.get("jsonrpc") == "2.0" and "result" not in r
                and r.get("error", {}).get("code") == code
                and isinstance(r["error"].get("message"), str)
                and (rid == "__any__" or ("id" in r and r["id"] == rid)))

    r = await c.reply_to_raw('{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]')
    check(err(r, -32700, None), "parse error: %r" % r)
    r = await c.reply_to_raw('{"jsonrpc": "2.0", "method": 1, "params": "bar"}')
    check(err(r, -32600, None), "invalid request: %r" % r)
    r = await c.reply_to_raw('[]')
    check(err(r, -32600, None), "empty batch: %r" % r)
    r = await c.reply_to_raw('[1,2,3]')
    check(isinstance(r, list) and len(r) == 3 and all(err(x, -32600, None) for x in r),
          "invalid batch: %r" % r)
    r = await c.reply_to_raw('"hello"')
    check(err(r, -32600, None), "non-object: %r" % r)
    r = await c.call("foobar", rid="1")
    check(err(r, -32601, "1"), "method not found: %r" % r)
    r = await c.call("eth_subscribe", ["noSuchThing"], rid=9)
    check(err(r, -32602, 9), "unknown subscription: %r" % r)
    r = await c.call("eth_subscribe", [], rid=10)
    check(err(r, -32602, 10), "subscribe no params: %r" % r)
    r = await c.call("eth_subscribe", None, rid=11)
    check(err(r, -32602, 11), "subscribe missing params: %r" % r)
    r = await c.call("eth_unsubscribe", [], rid=12)
    check(err(r, -32602, 12), "unsubscribe no params: %r" % r)
    r = await c.call("eth_blockNumber", [1], rid=13)
    check(err(r, -32602, 13), "blockNumber extra params: %r" % r)
    r = await c.reply_to_raw('{"jsonrpc":"2.0","id":14,"method":"eth_chainId","params":"x"}')
    check(err(r, -32600, 14), "params not structured: %r" % r)
    r = await c.reply_to_raw('{"jsonrpc":"2.0","id":[1],"method":"eth_chainId"}')
    check(err(r, -32600, None), "bad id type: %r" % r)
    # notifications get no reply
    r = await c.reply_to_raw('{"jsonrpc":"2.0","method":"eth_chainId"}', timeout=0.4)
    check(r is None, "notification answered: %r" % r)
    r = await c.reply_to_raw('{"jsonrpc":"2.0","method":"foobar"}', timeout=0.4)
    check(r is None, "unknown-method notification answered: %r" % r)
    r = await c.reply_to_raw('[{"jsonrpc":"2.0","method":"eth_chainId"}]', timeout=0.4)
    check(r is None, "all-notification batch answered: %r" % r)
    # mixed batch
    r = await c.reply_to_raw(json.dumps([
        {"jsonrpc": "2.0", "id": "a", "method": "eth_chainId"},
        {"jsonrpc": "2.0", "method": "eth_chainId"},
        {"foo": "boo"},
        {"jsonrpc": "2.0", "id": "b", "method": "nope"},
    ]))
    check(isinstance(r, list) and len(r) == 3, "mixed batch length: %r" % r)
    byid = {x.get("id"): x for x in r}
    check(byid["a"]["result"] == "0x539" and err(byid[None], -32600, None)
          and err(byid["b"], -32601, "b"), "mixed batch content: %r" % r)


async def t_path(port):
    try:
        async with websockets.connect("ws://127.0.0.1:%d/other" % port):
            pass
    except websockets.InvalidStatusCode as e:
        check(e.status_code == 404, "status %d" % e.status_code)
        return
    raise Failed("non-root path accepted")


async def t_scoped(port, c):
    """Subscriptions are coupled to a connection."""
    r = await c.call("eth_subscribe", ["newHeads"])
    sid = r["result"]
    async with websockets.connect("ws://127.0.0.1:%d/" % port) as ws2:
        c2 = Client(ws2)
        r2 = await c2.call("eth_unsubscribe", [sid])
        check(r2["result"] is False, "other connection cannot cancel: %r" % r2)
        c2.notes.clear()
        await c2.pump(0.5)
        check(not c2.notes, "other connection receives notifications")
    await c.call("eth_unsubscribe", [sid])


async def run_suite(port):
    """Each step gets its own connection (so a fault's leftovers stay local)."""
    steps = [("plain", t_plain), ("ids", t_ids), ("errors", t_errors),
             ("newHeads+unsubscribe", None), ("newPendingTransactions", t_pending),
             ("logs", t_logs), ("syncing", t_syncing), ("scoped", None), ("path", None)]
    results = {}
    for name, fn in steps:
        try:
            if name == "path":
                await t_path(port)
            else:
                async with websockets.connect("ws://127.0.0.1:%d/" % port) as ws:
                    c = Client(ws)
                    if name == "newHeads+unsubscribe":
                        sid = await t_newheads(c)
                        await t_unsubscribe(c, sid)
                    elif name == "scoped":
                        await t_scoped(port, c)
                    else:
                        await fn(c)
            results[name] = None
        except Failed as e:
            results[name] = str(e)
        except Exception as e:
            results[name] = "exception: %r" % e
    return results


def main():
    expectations = [
        (None, set()),
        ("notify-after-unsubscribe", {"newHeads+unsubscribe"}),
        ("wrong-subscription-id", {"newHeads+unsubscribe", "newPendingTransactions", "logs"}),
    ]
    ok = True
    for fault, expect_fail in expectations:
        p, port = start_server(fault)
        print("== server %s (port %d)" % (fault or "normal", port))
        try:
            res = asyncio.run(run_suite(port))
        finally:
            rc = stop_server(p)
        for name, err in res.items():
            status = "PASS" if err is None else "FAIL: " + err
            want = "fail" if name in expect_fail else "pass"
            good = (err is None) == (want == "pass")
            ok &= good
            print("  %-24s %s%s" % (name, status, "" if good else "   <-- UNEXPECTED"))
        print("  exit status on SIGTERM: %d" % rc)
        ok &= rc == 0
    print("ALL AS EXPECTED" if ok else "SOMETHING UNEXPECTED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
