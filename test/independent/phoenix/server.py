#!/usr/bin/python3
"""Independent Phoenix Channels test peer (V2 JSON serializer, vsn=2.0.0).

Written from the public Phoenix documentation only (hexdocs guides
"Channels" and "Writing a Channels Client", the Phoenix.Socket /
Phoenix.Channel moduledocs, Phoenix.Socket.V2.JSONSerializer and the
Phoenix JavaScript client).  See FAULTS.md for the application, the
decisions taken where the documentation is silent, and the two faults.

Usage:
    /usr/bin/python3 server.py --port N [--host 127.0.0.1] [--fault NAME]
                               [--idle-timeout-ms MS]

Every frame is a JSON array  [join_ref, ref, topic, event, payload].
"""

import argparse
import asyncio
import http
import json
import signal
import sys
from urllib.parse import parse_qs, urlsplit

import websockets
import websockets.exceptions

SOCKET_PATH = "/socket/websocket"
TICK_TOPIC = "room:lobby"
TICK_INTERVAL = 0.2  # seconds
FAULTS = ("heartbeat-ref", "tick-after-leave")


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def encode(frame):
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def vsn_supported(vsn):
    """Phoenix negotiates {Phoenix.Socket.V2.JSONSerializer, "~> 2.0.0"}.

    "~> 2.0.0" means >= 2.0.0 and < 2.1.0.  Only V2 is implemented here.
    """
    if vsn is None:
        return False
    core = vsn.split("+", 1)[0]
    if "-" in core:  # pre-releases do not match "~> 2.0.0"
        return False
    parts = core.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return False
    major, minor, _patch = (int(p) for p in parts)
    return major == 2 and minor == 0


class ProtocolError(Exception):
    """Frame that the V2 serializer cannot decode."""


class Conn:
    """One WebSocket connection (one Phoenix socket / transport process)."""

    def __init__(self, ws):
        self.ws = ws
        self.queue = asyncio.Queue()
        # topic -> join_ref of the channel currently joined on that topic
        self.channels = {}

    def send(self, frame):
        self.queue.put_nowait(encode(frame))

    async def writer(self):
        try:
            while True:
                item = await self.queue.get()
                if item is None:
                    return
                await self.ws.send(item)
        except websockets.exceptions.ConnectionClosed:
            return

    async def flush(self, writer_task):
        """Send every queued frame, then stop the writer."""
        self.queue.put_nowait(None)
        try:
            await asyncio.wait_for(asyncio.shield(writer_task), 5)
        except (asyncio.TimeoutError, Exception):
            writer_task.cancel()


class App:
    def __init__(self, fault=None, idle_timeout=60.0):
        self.fault = fault
        self.idle_timeout = idle_timeout
        # topic -> set of Conn receiving broadcasts of that topic
        self.subscribers = {}
        # topic -> last tick number broadcast on that topic
        self.tick_counter = {}

    # ---------------------------------------------------------------- pubsub
    def subscribe(self, topic, conn):
        self.subscribers.setdefault(topic, set()).add(conn)

    def unsubscribe(self, topic, conn):
        subs = self.subscribers.get(topic)
        if subs is not None:
            subs.discard(conn)
            if not subs:
                del self.subscribers[topic]

    def broadcast(self, topic, event, payload):
        # Phoenix.Socket.V2.JSONSerializer.fastlane!/1:
        #   [nil, nil, msg.topic, msg.event, msg.payload]
        frame = [None, None, topic, event, payload]
        for conn in list(self.subscribers.get(topic, ())):
            conn.send(frame)

    async def ticker(self):
        loop = asyncio.get_running_loop()
        next_at = loop.time() + TICK_INTERVAL
        while True:
            await asyncio.sleep(max(0.0, next_at - loop.time()))
            next_at += TICK_INTERVAL
            n = self.tick_counter.get(TICK_TOPIC, 0) + 1
            self.tick_counter[TICK_TOPIC] = n
            self.broadcast(TICK_TOPIC, "tick", {"n": n})

    # ------------------------------------------------------------- handshake
    async def process_request(self, path, request_headers):
        parts = urlsplit(path)
        if parts.path != SOCKET_PATH:
            return (http.HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain")],
                    b"Not Found\n")
        vsn = parse_qs(parts.query).get("vsn", [None])[0]
        if not vsn_supported(vsn):
            # Phoenix answers a refused connect (here: serializer negotiation
            # failure) with HTTP 403.
            return (http.HTTPStatus.FORBIDDEN, [("Content-Type", "text/plain")],
                    b"Forbidden: only vsn=2.0.0 (V2 JSON serializer) is supported\n")
        return None  # continue with the WebSocket handshake

    # ------------------------------------------------------------ connection
    async def handler(self, ws, path=None):
        conn = Conn(ws)
        writer_task = asyncio.create_task(conn.writer())
        close_code, close_reason = None, ""
        try:
            while True:
                try:
                    if self.idle_timeout and self.idle_timeout > 0:
                        raw = await asyncio.wait_for(ws.recv(), self.idle_timeout)
                    else:
                        raw = await ws.recv()
                except asyncio.TimeoutError:
                    close_code, close_reason = 1000, "idle timeout"
                    break
                if isinstance(raw, bytes):
                    close_code, close_reason = 1003, "binary frames not supported"
                    break
                try:
                    self.handle_frame(conn, raw)
                except ProtocolError as exc:
                    log("protocol error:", exc)
                    close_code, close_reason = 1011, "invalid message"
                    break
        except websockets.exceptions.ConnectionClosed:
            pass
        finally:
            for topic in list(conn.channels):
                self.unsubscribe(topic, conn)
            conn.channels.clear()
            # with the tick-after-leave fault a conn may still be subscribed
            for topic in list(self.subscribers):
                self.unsubscribe(topic, conn)
            await conn.flush(writer_task)
            if close_code is not None:
                try:
                    await ws.close(close_code, close_reason)
                except Exception:
                    pass

    # --------------------------------------------------------------- frames
    @staticmethod
    def decode(raw):
        try:
            msg = json.loads(raw)
        except ValueError as exc:
            raise ProtocolError("invalid JSON: %s" % exc)
        # V2 decode!/2:  [join_ref, ref, topic, event, payload | _] = decoded
        if not isinstance(msg, list) or len(msg) < 5:
            raise ProtocolError("not a [join_ref, ref, topic, event, payload] array")
        join_ref, ref, topic, event, payload = msg[:5]
        if not isinstance(topic, str) or not isinstance(event, str):
            raise ProtocolError("topic and event must be strings")
        return join_ref, ref, topic, event, payload

    def handle_frame(self, conn, raw):
        join_ref, ref, topic, event, payload = self.decode(raw)

        # "heartbeat" events in the "phoenix" topic - should just emit an OK reply
        if topic == "phoenix" and event == "heartbeat":
            reply_ref = ref
            if self.fault == "heartbeat-ref":
                reply_ref = "x" + str(ref)
            conn.send([None, reply_ref, "phoenix", "phx_reply",
                       {"status": "ok", "response": {}}])
            return

        current = conn.channels.get(topic)

        if event == "phx_join":
            self.join(conn, join_ref, ref, topic, payload, current)
            return

        if current is None:
            if event == "phx_leave":
                # leaving a topic that is not joined: acknowledged with ok
                conn.send([join_ref, ref, topic, "phx_reply",
                           {"status": "ok", "response": {}}])
            else:
                self.unmatched(conn, ref, topic)
            return

        if event == "phx_leave":
            if join_ref is not None and join_ref != current:
                # stale leave for an older join of this topic: ignored
                return
            conn.send([current, ref, topic, "phx_reply",
                       {"status": "ok", "response": {}}])
            del conn.channels[topic]
            if self.fault != "tick-after-leave":
                self.unsubscribe(topic, conn)
            conn.send([current, current, topic, "phx_close", {}])
            return

        self.room_handle_in(conn, current, ref, topic, event, payload)

    def unmatched(self, conn, ref, topic):
        conn.send([None, ref, topic, "phx_reply",
                   {"status": "error", "response": {"reason": "unmatched topic"}}])

    def join(self, conn, join_ref, ref, topic, payload, current):
        if not topic.startswith("room:"):
            self.unmatched(conn, ref, topic)
            return
        new_join_ref = join_ref if join_ref is not None else ref
        if topic == "room:secret":
            outcome = ("error", {"reason": "unauthorized"})
        else:
            outcome = ("ok", {})
        if current is not None:
            # duplicate join: the existing channel is closed
            del conn.channels[topic]
            self.unsubscribe(topic, conn)
        if outcome[0] == "ok":
            conn.channels[topic] = new_join_ref
            self.subscribe(topic, conn)
        conn.send([join_ref, ref, topic, "phx_reply",
                   {"status": outcome[0], "response": outcome[1]}])
        if current is not None:
            conn.send([current, current, topic, "phx_close", {}])

    def crash(self, conn, join_ref, topic, why):
        """The channel "process" dies: phx_error, the channel is gone."""
        log("channel %s crashed: %s" % (topic, why))
        conn.channels.pop(topic, None)
        self.unsubscribe(topic, conn)
        conn.send([join_ref, join_ref, topic, "phx_error", {}])

    def room_handle_in(self, conn, join_ref, ref, topic, event, payload):
        if event == "new_msg":
            if not isinstance(payload, dict) or "body" not in payload:
                self.crash(conn, join_ref, topic, "new_msg without a body")
                return
            # broadcast!(socket, "new_msg", %{body: body}); {:reply, :ok, socket}
            self.broadcast(topic, "new_msg", {"body": payload["body"]})
            conn.send([join_ref, ref, topic, "phx_reply",
                       {"status": "ok", "response": {}}])
        elif event == "ping":
            conn.send([join_ref, ref, topic, "phx_reply",
                       {"status": "ok", "response": {"pong": True}}])
        else:
            self.crash(conn, join_ref, topic, "no handle_in for %r" % event)


async def main_async(args):
    app = App(fault=args.fault, idle_timeout=args.idle_timeout_ms / 1000.0)
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))

    server = await websockets.serve(
        app.handler, args.host, args.port,
        process_request=app.process_request,
        compression=None,     # Phoenix websocket default: compress: false
        ping_interval=None,   # Phoenix does not send WebSocket pings itself
        max_size=2 ** 20,
    )
    port = server.sockets[0].getsockname()[1]
    ticker = asyncio.create_task(app.ticker())
    print("LISTENING %d" % port, flush=True)
    if args.fault:
        log("fault enabled:", args.fault)
    await stop
    ticker.cancel()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description="Phoenix Channels V2 test peer")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--fault", choices=FAULTS, default=None)
    parser.add_argument("--idle-timeout-ms", type=int, default=60000,
                        help="close a connection that sent nothing for this long "
                             "(Phoenix websocket :timeout default 60_000); 0 = never")
    args = parser.parse_args()
    try:
        asyncio.run(main_async(args))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
