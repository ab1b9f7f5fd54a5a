#!/usr/bin/python3
"""Independent test peer: Ethereum JSON-RPC publish/subscribe over WebSocket.

Written only from public documentation:
  * Geth "Real-time Events" page
    (https://geth.ethereum.org/docs/interacting-with-geth/rpc/pubsub,
     source docs/interacting-with-geth/rpc/pubsub.md in ethereum/go-ethereum)
  * JSON-RPC 2.0 Specification (https://www.jsonrpc.org/specification)
  * ethereum/execution-apis (eth_subscribe / eth_unsubscribe / eth_blockNumber /
    eth_chainId method descriptions, standard error groups)

Usage:
  /usr/bin/python3 server.py --port N [--host 127.0.0.1] [--fault NAME]

Prints exactly one line "LISTENING <port>" on stdout once listening.
Everything else (diagnostics) goes to stderr.  See FAULTS.md for the faults
and for the decisions taken where the documentation is silent.
"""

import argparse
import asyncio
import http
import json
import os
import random
import re
import signal
import sys
import time

import websockets

# ---------------------------------------------------------------------------
# Constants / decisions (see FAULTS.md, "Decisions")
# ---------------------------------------------------------------------------

CHAIN_ID = 1337                 # eth_chainId -> "0x539"
BLOCK_INTERVAL = 0.200          # a new block every 200 ms
FIRST_BLOCK = 0x1000            # head block number at start-up (4096)
GAS_LIMIT = 30_000_000
BUFFER_LIMIT = 10_000           # Geth: "(currently 10k) the connection is closed"
PENDING_TX_MIN = 0.05           # newPendingTransactions: a hash every 50..250 ms
PENDING_TX_MAX = 0.25

# Fake contracts that emit logs.  The first address/topic are the ones used in
# the Geth docs example for the "logs" subscription.
LOG_ADDR_A = "0x8320fe7702b96808f7bbc0d4a888ed1468216cfd"
LOG_TOPIC_A = "0xd78a0cb8bb633d06981248b816e7bd33c2a35a6089241d099fa519e361cab902"
LOG_ADDR_B = "0x1111111111111111111111111111111111111111"
# keccak256("Transfer(address,address,uint256)")
LOG_TOPIC_B = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"

FAULTS = ("notify-after-unsubscribe", "wrong-subscription-id")

# JSON-RPC 2.0 pre-defined error codes (spec section 5.1)
PARSE_ERROR = (-32700, "Parse error")
INVALID_REQUEST = (-32600, "Invalid Request")
METHOD_NOT_FOUND = (-32601, "Method not found")
INVALID_PARAMS = (-32602, "Invalid params")
INTERNAL_ERROR = (-32603, "Internal error")

ADDRESS_RE = re.compile(r"^0x[0-9a-fA-F]{40}$")
HASH_RE = re.compile(r"^0x[0-9a-fA-F]{64}$")


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Keccak-256 (pure Python, used for fake hashes and for a correct logsBloom)
# ---------------------------------------------------------------------------

_RC = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]
_ROT = [[0] * 5 for _ in range(5)]
_x, _y = 1, 0
for _t in range(24):
    _ROT[_x][_y] = ((_t + 1) * (_t + 2) // 2) % 64
    _x, _y = _y, (2 * _x + 3 * _y) % 5
_M64 = (1 << 64) - 1


def _rol(v, n):
    n %= 64
    return ((v << n) | (v >> (64 - n))) & _M64 if n else v


def _keccak_f(a):
    for rnd in range(24):
        c = [a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rol(c[(x + 1) % 5], 1) for x in range(5)]
        a = [a[i] ^ d[i % 5] for i in range(25)]
        b = [0] * 25
        for x in range(5):
            for y in range(5):
                b[y + 5 * ((2 * x + 3 * y) % 5)] = _rol(a[x + 5 * y], _ROT[x][y])
        a = [b[i] ^ ((~b[(i % 5 + 1) % 5 + 5 * (i // 5)]) & b[(i % 5 + 2) % 5 + 5 * (i // 5)])
             for i in range(25)]
        a[0] ^= _RC[rnd]
    return a


def keccak256(data: bytes) -> bytes:
    rate = 136
    msg = bytearray(data)
    msg.append(0x01)
    while len(msg) % rate:
        msg.append(0)
    msg[-1] |= 0x80
    st = [0] * 25
    for off in range(0, len(msg), rate):
        blk = msg[off:off + rate]
        for i in range(rate // 8):
            st[i] ^= int.from_bytes(blk[8 * i:8 * i + 8], "little")
        st = _keccak_f(st)
    return b"".join(st[i].to_bytes(8, "little") for i in range(4))


def qty(n: int) -> str:
    """Hex-encoded quantity: no leading zeros, 0 -> "0x0"."""
    return hex(n)


def data_hex(b: bytes) -> str:
    return "0x" + b.hex()


def bloom_add(bloom: bytearray, item: bytes):
    h = keccak256(item)
    for i in (0, 2, 4):
        bit = ((h[i] << 8) | h[i + 1]) & 2047
        bloom[255 - bit // 8] |= 1 << (bit % 8)


# ---------------------------------------------------------------------------
# Fake chain
# ---------------------------------------------------------------------------

class Chain:
    def __init__(self):
        self.rng = random.Random()
        self.miner = "0xf8b483dba2c3b7176a3da549ad41a48bb3121069"
        self.head = None
        self.head_logs = []
        genesis_parent = data_hex(keccak256(b"independent-eth-pubsub-genesis"))
        self.head, self.head_logs = self._make_block(FIRST_BLOCK, genesis_parent,
                                                     int(time.time()))

    def _make_block(self, number, parent_hash, timestamp):
        rng = self.rng
        n_tx = rng.randint(1, 4)
        tx_hashes = [data_hex(keccak256(os.urandom(32))) for _ in range(n_tx)]
        gas_used = min(GAS_LIMIT, 21_000 * n_tx + rng.randint(0, 200_000))
        header_seed = json.dumps([number, parent_hash, timestamp, tx_hashes]).encode()
        block_hash = data_hex(keccak256(header_seed))

        # Fake logs: every block one log from contract A (topic A); every even
        # block additionally a Transfer-style log from contract B.
        logs = []
        bloom = bytearray(256)
        specs = [(LOG_ADDR_A, [LOG_TOPIC_A])]
        if number % 2 == 0:
            specs.append((LOG_ADDR_B, [LOG_TOPIC_B,
                                       "0x" + "00" * 12 + os.urandom(20).hex(),
                                       "0x" + "00" * 12 + os.urandom(20).hex()]))
        for idx, (addr, topics) in enumerate(specs):
            tx_index = idx % n_tx
            logs.append({
                "address": addr,
                "topics": list(topics),
                "data": data_hex(rng.randint(0, 2 ** 64).to_bytes(32, "big")),
                "blockNumber": qty(number),
                "blockHash": block_hash,
                "transactionHash": tx_hashes[tx_index],
                "transactionIndex": qty(tx_index),
                "logIndex": qty(idx),
                "removed": False,
            })
            bloom_add(bloom, bytes.fromhex(addr[2:]))
            for t in topics:
                bloom_add(bloom, bytes.fromhex(t[2:]))

        receipts_root = data_hex(keccak256(b"receipts" + header_seed))
        header = {
            "parentHash": parent_hash,
            "sha3Uncles": "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347",
            "miner": self.miner,
            "stateRoot": data_hex(keccak256(b"state" + header_seed)),
            "transactionsRoot": data_hex(keccak256(b"txs" + header_seed)),
            "receiptsRoot": receipts_root,
            # The Geth docs example spells this field "receiptRoot"; both are sent.
            "receiptRoot": receipts_root,
            "logsBloom": data_hex(bytes(bloom)),
            "difficulty": "0x0",
            "number": qty(number),
            "gasLimit": qty(GAS_LIMIT),
            "gasUsed": qty(gas_used),
            "timestamp": qty(timestamp),
            "extraData": data_hex(b"independent-eth-pubsub"),
            "mixHash": data_hex(keccak256(b"mix" + header_seed)),
            "nonce": "0x0000000000000000",
            "baseFeePerGas": qty(1_000_000_000 + rng.randint(0, 500_000_000)),
            "hash": block_hash,
        }
        return header, logs

    @property
    def number(self):
        return int(self.head["number"], 16)

    def next_block(self):
        ts = max(int(time.time()), int(self.head["timestamp"], 16) + 1)
        self.head, self.head_logs = self._make_block(self.number + 1, self.head["hash"], ts)
        return self.head, self.head_logs


# ---------------------------------------------------------------------------
# Subscriptions / connections
# ---------------------------------------------------------------------------

class Subscription:
    __slots__ = ("id", "kind", "filter", "active", "conn")

    def __init__(self, sid, kind, flt, conn):
        self.id = sid
        self.kind = kind
        self.filter = flt      # for logs: (set_of_addresses_or_None, topics_list)
        self.active = True     # False once cancelled with eth_unsubscribe
        self.conn = conn


class RpcError(Exception):
    def __init__(self, err, data=None):
        super().__init__(err[1])
        self.code, self.message = err
        self.data = data


class Connection:
    def __init__(self, server, ws):
        self.server = server
        self.ws = ws
        self.queue = asyncio.Queue()
        self.subs = {}            # id -> Subscription (only this connection's)
        self.closing = False

    # -- outgoing -----------------------------------------------------------
    def enqueue(self, obj, notification=False):
        if self.closing:
            return
        if notification and self.queue.qsize() >= BUFFER_LIMIT:
            # Geth: buffered notifications reached the limit -> close connection.
            log("buffer limit reached, closing connection")
            self.closing = True
            asyncio.get_running_loop().create_task(self.ws.close(1008, "buffer limit"))
            return
        self.queue.put_nowait(json.dumps(obj, separators=(",", ":")))

    async def writer(self):
        try:
            while True:
                msg = await self.queue.get()
                await self.ws.send(msg)
        except (websockets.ConnectionClosed, asyncio.CancelledError):
            pass

    def notify(self, sub, result):
        sid = sub.id
        if self.server.fault == "wrong-subscription-id":
            sid = wrong_id(sid)
        self.enqueue({
            "jsonrpc": "2.0",
            "method": "eth_subscription",
            "params": {"subscription": sid, "result": result},
        }, notification=True)

    # -- incoming -----------------------------------------------------------
    def handle_text(self, text):
        """Returns the JSON value to send back, or None for no reply.

        Runs synchronously (no awaits) so that the reply to eth_subscribe is
        queued before any notification of that subscription, and so that no
        notification is queued after the reply to a successful eth_unsubscribe.
        """
        try:
            msg = json.loads(text)
        except (ValueError, RecursionError):
            return error_response(None, RpcError(PARSE_ERROR))
        if isinstance(msg, list):
            if not msg:
                return error_response(None, RpcError(INVALID_REQUEST, "empty batch"))
            replies = [r for r in (self.handle_one(m) for m in msg) if r is not None]
            return replies or None
        return self.handle_one(msg)

    def handle_one(self, req):
        if not isinstance(req, dict):
            return error_response(None, RpcError(INVALID_REQUEST, "request must be an object"))
        has_id = "id" in req
        rid = req.get("id")
        if has_id and not (rid is None or isinstance(rid, str) or
                           (isinstance(rid, (int, float)) and not isinstance(rid, bool))):
            return error_response(None, RpcError(INVALID_REQUEST, "invalid id"))
        reply_id = rid if has_id else None
        if "jsonrpc" in req and req["jsonrpc"] != "2.0":
            return error_response(reply_id, RpcError(INVALID_REQUEST, 'jsonrpc must be "2.0"'))
        method = req.get("method")
        if not isinstance(method, str):
            return error_response(reply_id, RpcError(INVALID_REQUEST, "method must be a string"))
        params = req.get("params", None)
        if "params" in req and not isinstance(params, (list, dict)):
            return error_response(reply_id, RpcError(INVALID_REQUEST,
                                                     "params must be an Array or Object"))
        is_notification = not has_id
        try:
            result = self.dispatch(method, params, is_notification)
        except RpcError as e:
            return None if is_notification else error_response(rid, e)
        except Exception as e:  # pragma: no cover - defensive
            log("internal error:", repr(e))
            return None if is_notification else error_response(rid, RpcError(INTERNAL_ERROR))
        if is_notification:
            return None
        return {"jsonrpc": "2.0", "id": rid, "result": result}

    def dispatch(self, method, params, is_notification):
        if method == "eth_subscribe":
            return self.eth_subscribe(params, is_notification)
        if method == "eth_unsubscribe":
            return self.eth_unsubscribe(params)
        if method == "eth_blockNumber":
            no_params(params)
            return qty(self.server.chain.number)
        if method == "eth_chainId":
            no_params(params)
            return qty(CHAIN_ID)
        raise RpcError(METHOD_NOT_FOUND,
                       "the method %s does not exist/is not available" % method)

    def eth_subscribe(self, params, is_notification):
        if not isinstance(params, list):
            raise RpcError(INVALID_PARAMS, "expected params Array [name, options?]")
        if not params:
            raise RpcError(INVALID_PARAMS, "missing subscription name")
        if len(params) > 2:
            raise RpcError(INVALID_PARAMS, "too many arguments, want at most 2")
        name = params[0]
        if not isinstance(name, str):
            raise RpcError(INVALID_PARAMS, "subscription name must be a String")
        opt = params[1] if len(params) > 1 else None
        flt = None
        if name == "logs":
            flt = parse_log_filter(opt)
        elif name in ("newHeads", "newPendingTransactions", "syncing"):
            if opt is not None and not isinstance(opt, (dict, bool)):
                raise RpcError(INVALID_PARAMS, "invalid optional argument")
        else:
            raise RpcError(INVALID_PARAMS, "unsupported subscription %r" % name)
        if is_notification:
            return None     # nobody could learn the id: create nothing
        sid = self.server.new_sub_id()
        self.subs[sid] = Subscription(sid, name, flt, self)
        self.server.register(self.subs[sid])
        return sid

    def eth_unsubscribe(self, params):
        if not isinstance(params, list) or len(params) != 1 or not isinstance(params[0], str):
            raise RpcError(INVALID_PARAMS, "expected params [subscriptionId]")
        sub = self.subs.get(params[0])
        if sub is None or not sub.active:
            return False
        sub.active = False
        if self.server.fault == "notify-after-unsubscribe":
            # FAULT: claim success but keep the subscription delivering.
            return True
        del self.subs[sub.id]
        self.server.unregister(sub)
        return True

    def close(self):
        self.closing = True
        for sub in list(self.subs.values()):
            self.server.unregister(sub)
        self.subs.clear()


def wrong_id(sid):
    """A subscription id that differs from sid (last hex digit changed)."""
    last = sid[-1].lower()
    repl = "0" if last != "0" else "1"
    return sid[:-1] + repl


def no_params(params):
    if params is None:
        return
    if len(params) != 0:
        raise RpcError(INVALID_PARAMS, "too many arguments, want at most 0")


def parse_log_filter(opt):
    if opt is None:
        return (None, [])
    if not isinstance(opt, dict):
        raise RpcError(INVALID_PARAMS, "logs filter must be an Object")
    addrs = None
    a = opt.get("address")
    if a is not None:
        lst = a if isinstance(a, list) else [a]
        addrs = set()
        for x in lst:
            if not isinstance(x, str) or not ADDRESS_RE.match(x):
                raise RpcError(INVALID_PARAMS, "invalid address %r" % (x,))
            addrs.add(x.lower())
        if not addrs:
            addrs = None    # empty array = no address restriction
    topics = []
    t = opt.get("topics")
    if t is not None:
        if not isinstance(t, list):
            raise RpcError(INVALID_PARAMS, "topics must be an Array")
        for pos in t:
            if pos is None:
                topics.append(None)
            elif isinstance(pos, str):
                if not HASH_RE.match(pos):
                    raise RpcError(INVALID_PARAMS, "invalid topic %r" % pos)
                topics.append({pos.lower()})
            elif isinstance(pos, list):
                alts = set()
                for x in pos:
                    if x is None:
                        alts = None
                        break
                    if not isinstance(x, str) or not HASH_RE.match(x):
                        raise RpcError(INVALID_PARAMS, "invalid topic %r" % (x,))
                    alts.add(x.lower())
                topics.append(alts if alts else None)
            else:
                raise RpcError(INVALID_PARAMS, "invalid topic %r" % (pos,))
    return (addrs, topics)


def log_matches(flt, lg):
    addrs, topics = flt
    if addrs is not None and lg["address"].lower() not in addrs:
        return False
    if len(topics) > len(lg["topics"]):
        return False
    for want, have in zip(topics, lg["topics"]):
        if want is not None and have.lower() not in want:
            return False
    return True


def error_response(rid, e):
    err = {"code": e.code, "message": e.message}
    if e.data is not None:
        err["data"] = e.data
    return {"jsonrpc": "2.0", "id": rid, "error": err}


# ---------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------

class PubSubServer:
    def __init__(self, fault=None):
        self.fault = fault
        self.chain = Chain()
        self.by_kind = {"newHeads": {}, "logs": {}, "newPendingTransactions": {}, "syncing": {}}
        self.all_ids = set()

    def new_sub_id(self):
        while True:
            sid = "0x" + os.urandom(16).hex()
            if sid not in self.all_ids:
                self.all_ids.add(sid)
                return sid

    def register(self, sub):
        self.by_kind[sub.kind][sub.id] = sub

    def unregister(self, sub):
        self.by_kind[sub.kind].pop(sub.id, None)

    async def block_producer(self):
        loop = asyncio.get_running_loop()
        nxt = loop.time() + BLOCK_INTERVAL
        while True:
            await asyncio.sleep(max(0.0, nxt - loop.time()))
            nxt += BLOCK_INTERVAL
            header, logs = self.chain.next_block()
            for sub in list(self.by_kind["newHeads"].values()):
                sub.conn.notify(sub, header)
            for sub in list(self.by_kind["logs"].values()):
                for lg in logs:
                    if log_matches(sub.filter, lg):
                        sub.conn.notify(sub, lg)

    async def pending_producer(self):
        rng = random.Random()
        while True:
            await asyncio.sleep(rng.uniform(PENDING_TX_MIN, PENDING_TX_MAX))
            subs = list(self.by_kind["newPendingTransactions"].values())
            if not subs:
                continue
            txh = data_hex(keccak256(os.urandom(32)))
            for sub in subs:
                sub.conn.notify(sub, txh)

    async def process_request(self, path, request_headers):
        if path.split("?", 1)[0] != "/":
            return (http.HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain")],
                    b"not found: the JSON-RPC endpoint is at /\n")
        return None

    async def handler(self, ws, path=None):
        conn = Connection(self, ws)
        writer = asyncio.get_running_loop().create_task(conn.writer())
        try:
            async for message in ws:
                if isinstance(message, bytes):
                    try:
                        message = message.decode("utf-8")
                    except UnicodeDecodeError:
                        conn.enqueue(error_response(None, RpcError(PARSE_ERROR)))
                        continue
                reply = conn.handle_text(message)
                if reply is not None:
                    conn.enqueue(reply)
        except websockets.ConnectionClosed:
            pass
        finally:
            conn.close()
            # let already-queued replies go out if the socket is still open
            writer.cancel()
            try:
                await writer
            except asyncio.CancelledError:
                pass


async def main():
    ap = argparse.ArgumentParser(description="Ethereum JSON-RPC pub/sub test peer")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--fault", choices=FAULTS, default=None)
    args = ap.parse_args()

    srv = PubSubServer(fault=args.fault)
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))

    server = await websockets.serve(srv.handler, args.host, args.port,
                                    process_request=srv.process_request,
                                    max_size=16 * 1024 * 1024)
    port = server.sockets[0].getsockname()[1]
    tasks = [loop.create_task(srv.block_producer()), loop.create_task(srv.pending_producer())]
    print("LISTENING %d" % port, flush=True)
    if args.fault:
        log("fault enabled:", args.fault)

    await stop
    for t in tasks:
        t.cancel()
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
