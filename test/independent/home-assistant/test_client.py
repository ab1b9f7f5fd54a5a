#!/usr/bin/env python3
"""Self-test for server.py: starts the server (normal and with each fault)
and exercises it with a small client.  Run: python3 test_client.py"""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import websockets

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = "secret-xyz"
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def start(fault=None):
    cmd = [sys.executable, os.path.join(HERE, "server.py"), "--port", "0", "--token", TOKEN]
    if fault:
        cmd += ["--fault", fault]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline().strip()
    assert line.startswith("LISTENING "), line
    return p, int(line.split()[1])


def stop(p):
    p.send_signal(signal.SIGTERM)
    rc = p.wait(5)
    check(rc == 0, f"server exits cleanly on SIGTERM (rc={rc})")


async def recv(ws, timeout=2.0):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def recv_until(ws, pred, timeout=2.0):
    """Receive until pred(msg); return (msg, others)."""
    others = []
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return None, others
        try:
            m = await recv(ws, left)
        except asyncio.TimeoutError:
            return None, others
        if pred(m):
            return m, others
        others.append(m)


async def login(port, token=TOKEN):
    ws = await websockets.connect(f"ws://127.0.0.1:{port}/api/websocket")
    m = await recv(ws)
    check(m.get("type") == "auth_required" and "ha_version" in m, f"auth_required: {m}")
    await ws.send(json.dumps({"type": "auth", "access_token": token}))
    m = await recv(ws)
    return ws, m


async def normal(port):
    # wrong path -> 404
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/other")
        check(False, "other path refused")
    except urllib.error.HTTPError as e:
        check(e.code == 404, f"other path refused with 404 ({e.code})")
    try:
        async with websockets.connect(f"ws://127.0.0.1:{port}/nope"):
            check(False, "ws upgrade on other path refused")
    except Exception as e:
        check("404" in str(e), f"ws upgrade on other path refused: {e}")

    # bad token
    ws, m = await login(port, "wrong")
    check(m == {"type": "auth_invalid", "message": m.get("message")} and isinstance(m.get("message"), str),
          f"auth_invalid for bad token: {m}")
    try:
        await asyncio.wait_for(ws.recv(), 2)
        check(False, "connection closed after auth_invalid")
    except websockets.exceptions.ConnectionClosed:
        check(True, "connection closed after auth_invalid")

    # malformed auth
    ws = await websockets.connect(f"ws://127.0.0.1:{port}/api/websocket")
    await recv(ws)
    await ws.send(json.dumps({"id": 1, "type": "ping"}))
    m = await recv(ws)
    check(m.get("type") == "auth_invalid", f"non-auth first message -> auth_invalid: {m}")
    await ws.close()

    ws, m = await login(port)
    check(m.get("type") == "auth_ok" and "ha_version" in m, f"auth_ok: {m}")

    await ws.send(json.dumps({"id": 1, "type": "ping"}))
    m = await recv(ws)
    check(m == {"id": 1, "type": "pong"}, f"pong: {m}")

    await ws.send(json.dumps({"id": 2, "type": "subscribe_events", "event_type": "state_changed"}))
    m = await recv(ws)
    check(m == {"id": 2, "type": "result", "success": True, "result": None}, f"subscribe result: {m}")

    t0 = time.monotonic()
    evs = []
    while len(evs) < 3:
        m = await recv(ws)
        if m.get("type") == "event":
            evs.append(m)
    dt = time.monotonic() - t0
    check(all(e["id"] == 2 and e["event"]["event_type"] == "state_changed" for e in evs),
          "events carry subscription id 2 and type state_changed")
    check(0.3 < dt < 1.5, f"3 events took {dt:.2f}s (~200ms period)")
    e = evs[0]["event"]
    check(set(e) >= {"data", "event_type", "time_fired", "origin", "context"}, f"event keys {sorted(e)}")
    check(e["data"]["entity_id"] == "light.kitchen" and "new_state" in e["data"] and "old_state" in e["data"],
          "state_changed data")

    # a subscription to a different type gets no state_changed
    await ws.send(json.dumps({"id": 3, "type": "subscribe_events", "event_type": "my_event"}))
    m, _ = await recv_until(ws, lambda m: m.get("id") == 3)
    check(m and m["success"] is True, "subscribe my_event")
    await ws.send(json.dumps({"id": 4, "type": "fire_event", "event_type": "my_event",
                              "event_data": {"a": 1}}))
    m, others = await recv_until(ws, lambda m: m.get("id") == 4)
    check(m and m["type"] == "result" and m["success"] and "context" in m["result"],
          f"fire_event result: {m}")
    mine = [o for o in others if o.get("id") == 3]
    check(len(mine) == 1 and mine[0]["event"]["data"] == {"a": 1}
          and mine[0]["event"]["event_type"] == "my_event", f"fired event delivered: {mine}")
    check(not any(o.get("id") == 3 and o["event"]["event_type"] != "my_event" for o in others),
          "my_event subscription filters")

    # call_service
    await ws.send(json.dumps({"id": 5, "type": "call_service", "domain": "light", "service": "turn_on",
                              "service_data": {"brightness": "101"},
                              "target": {"entity_id": "light.kitchen"}}))
    m, others = await recv_until(ws, lambda m: m.get("id") == 5)
    check(m and m["success"] and m["result"]["response"] is None and "context" in m["result"],
          f"call_service result: {m}")
    ch = [o for o in others if o.get("type") == "event"
          and o["event"]["data"]["new_state"]["state"] == "on"
          and o["event"]["context"]["id"] == m["result"]["context"]["id"]]
    check(len(ch) == 1 and ch[0]["event"]["data"]["old_state"]["state"] == "off"
          and ch[0]["event"]["data"]["new_state"]["attributes"]["brightness"] == 101,
          "turn_on emitted state_changed off->on")

    await ws.send(json.dumps({"id": 6, "type": "get_states"}))
    m, _ = await recv_until(ws, lambda m: m.get("id") == 6)
    kitchen = [s for s in m["result"] if s["entity_id"] == "light.kitchen"]
    check(m["success"] and kitchen and kitchen[0]["state"] == "on", "get_states shows light on")

    await ws.send(json.dumps({"id": 7, "type": "call_service", "domain": "light", "service": "turn_off",
                              "service_data": {"entity_id": "light.kitchen"}}))
    m, others = await recv_until(ws, lambda m: m.get("id") == 7)
    check(m and m["success"] and any(o.get("type") == "event" and
                                     o["event"]["data"]["new_state"]["state"] == "off" and
                                     o["event"]["data"]["old_state"]["state"] == "on" for o in others),
          "turn_off emitted state_changed on->off")

    await ws.send(json.dumps({"id": 8, "type": "get_config"}))
    m, _ = await recv_until(ws, lambda m: m.get("id") == 8)
    check(m["success"] and isinstance(m["result"], dict) and "version" in m["result"], "get_config")
    await ws.send(json.dumps({"id": 9, "type": "get_services"}))
    m, _ = await recv_until(ws, lambda m: m.get("id") == 9)
    check(m["success"] and "turn_on" in m["result"]["light"], "get_services")

    # errors
    await ws.send(json.dumps({"id": 10, "type": "no_such_command"}))
    m, _ = await recv_until(ws, lambda m: m.get("id") == 10)
    check(m["success"] is False and m["error"]["code"] == "unknown_command", f"unknown: {m}")
    await ws.send(json.dumps({"id": 11, "type": "fire_event", "event_type": 100}))
    m, _ = await recv_until(ws, lambda m: m.get("id") == 11)
    check(m["success"] is False and m["error"]["code"] == "invalid_format", f"invalid_format: {m}")
    await ws.send(json.dumps({"id": 11, "type": "ping"}))
    m, _ = await recv_until(ws, lambda m: m.get("id") == 11)
    check(m["type"] == "result" and m["error"]["code"] == "id_reuse", f"id_reuse: {m}")
    await ws.send(json.dumps({"type": "ping"}))
    m, _ = await recv_until(ws, lambda m: m.get("type") == "result" and m.get("id") is None)
    check(m and m["error"]["code"] == "invalid_format", f"missing id: {m}")
    await ws.send("not json")
    m, _ = await recv_until(ws, lambda m: m.get("type") == "result" and m.get("id") is None)
    check(m and m["error"]["code"] == "invalid_format", f"not json: {m}")
    await ws.send(json.dumps({"id": 12, "type": "unsubscribe_events", "subscription": 999}))
    m, _ = await recv_until(ws, lambda m: m.get("id") == 12)
    check(m["error"]["code"] == "not_found", f"unsubscribe unknown: {m}")
    await ws.send(json.dumps({"id": 13, "type": "call_service", "domain": "light", "service": "explode"}))
    m, _ = await recv_until(ws, lambda m: m.get("id") == 13)
    check(m["error"]["code"] == "not_found", f"unknown service: {m}")

    # unsubscribe -> events stop
    await ws.send(json.dumps({"id": 14, "type": "unsubscribe_events", "subscription": 2}))
    m, _ = await recv_until(ws, lambda m: m.get("id") == 14)
    check(m == {"id": 14, "type": "result", "success": True, "result": None}, f"unsubscribe: {m}")
    m, others = await recv_until(ws, lambda m: False, timeout=1.0)
    check(not any(o.get("id") == 2 for o in others), f"no events after unsubscribe ({len(others)} msgs)")

    # subscribe to all events
    await ws.send(json.dumps({"id": 15, "type": "subscribe_events"}))
    m, _ = await recv_until(ws, lambda m: m.get("id") == 15)
    m, _ = await recv_until(ws, lambda m: m.get("id") == 15 and m.get("type") == "event")
    check(m is not None, "subscribe to all events receives state_changed")
    await ws.close()


async def fault_result_id(port):
    ws, m = await login(port)
    await ws.send(json.dumps({"id": 1, "type": "ping"}))
    m = await recv(ws)
    check(m == {"id": 1, "type": "pong"}, "fault result-id: pong still fine")
    await ws.send(json.dumps({"id": 2, "type": "get_states"}))
    m = await recv(ws)
    check(m["type"] == "result" and m["id"] != 2, f"fault result-id: result id {m['id']} != 2")
    await ws.close()


async def fault_auth(port):
    ws, m = await login(port, "totally-wrong")
    check(m.get("type") == "auth_ok", f"fault auth-any-token: wrong token accepted: {m}")
    await ws.close()


async def main():
    p, port = start()
    try:
        await normal(port)
    finally:
        stop(p)
    p, port = start("result-id")
    try:
        await fault_result_id(port)
    finally:
        stop(p)
    p, port = start("auth-any-token")
    try:
        await fault_auth(port)
    finally:
        stop(p)
    print("FAILURES:", failures if failures else "none")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
