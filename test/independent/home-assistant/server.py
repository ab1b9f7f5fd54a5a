#!/usr/bin/env python3
"""Independent test peer: a fake Home Assistant WebSocket API server.

Written from the public documentation of the Home Assistant WebSocket API
(https://developers.home-assistant.io/docs/api/websocket) only.

Usage:
    python3 server.py --port N [--host 127.0.0.1] [--token T] [--fault NAME]

Prints exactly one line "LISTENING <port>" on stdout once it is listening.
Serves the API at /api/websocket; any other path is refused with HTTP 404.
Exits cleanly (status 0) on SIGTERM / SIGINT.

See FAULTS.md for the switchable faults and for the decisions taken where
the documentation is silent.
"""

import argparse
import asyncio
import copy
import json
import signal
import sys
import uuid
from datetime import datetime, timezone
from http import HTTPStatus

import websockets

try:  # websockets >= 13: new asyncio implementation
    from websockets.asyncio.server import serve as _new_serve  # type: ignore
except Exception:  # pragma: no cover - depends on installed version
    _new_serve = None

HA_VERSION = "2021.5.3"          # the version string of the documentation's examples
API_PATH = "/api/websocket"
TICK_SECONDS = 0.2               # periodic state_changed for light.kitchen
AUTH_TIMEOUT = 10.0              # seconds allowed between connect and auth
USER_ID = "31ddb597e03147118cf8d2f8fbea5553"

FAULTS = ("result-id", "auth-any-token")

# error codes (see FAULTS.md for why these)
ERR_INVALID_FORMAT = "invalid_format"
ERR_UNKNOWN_COMMAND = "unknown_command"
ERR_ID_REUSE = "id_reuse"
ERR_NOT_FOUND = "not_found"

MATCH_ALL = "*"


def now_iso():
    return datetime.now(timezone.utc).isoformat()


def new_context():
    return {"id": uuid.uuid4().hex, "parent_id": None, "user_id": USER_ID}


class Invalid(Exception):
    """A command did not match its schema -> invalid_format."""


# --------------------------------------------------------------------------
# Fake Home Assistant "core": state machine + event bus
# --------------------------------------------------------------------------

class Hass:
    def __init__(self):
        self.connections = set()
        self.states = {}
        t = now_iso()
        ctx = new_context()
        self._set_initial("light.kitchen", "off",
                          {"supported_features": 41, "friendly_name": "Kitchen Light"}, t, ctx)
        self._set_initial("light.living_room", "on",
                          {"brightness": 180, "supported_features": 41,
                           "friendly_name": "Living Room Light"}, t, ctx)
        self._set_initial("switch.coffee_maker", "off",
                          {"friendly_name": "Coffee Maker"}, t, ctx)
        self._set_initial("sensor.outside_temperature", "12.5",
                          {"unit_of_measurement": "\u00b0C", "device_class": "temperature",
                           "friendly_name": "Outside Temperature"}, t, ctx)

    def _set_initial(self, entity_id, state, attributes, t, ctx):
        self.states[entity_id] = {
            "entity_id": entity_id,
            "state": state,
            "attributes": attributes,
            "last_changed": t,
            "last_updated": t,
            "context": dict(ctx),
        }

    # -- event bus ---------------------------------------------------------
    def fire(self, event_type, data, context, origin="LOCAL"):
        event = {
            "event_type": event_type,
            "data": data,
            "origin": origin,
            "time_fired": now_iso(),
            "context": context,
        }
        for conn in list(self.connections):
            conn.deliver(event)
        return event

    # -- state machine -----------------------------------------------------
    def set_state(self, entity_id, state, attributes, context):
        """Write a state and fire state_changed (always, even if unchanged)."""
        old = self.states.get(entity_id)
        t = now_iso()
        if old is not None and old["state"] == state:
            last_changed = old["last_changed"]
        else:
            last_changed = t
        new = {
            "entity_id": entity_id,
            "state": state,
            "attributes": attributes,
            "last_changed": last_changed,
            "last_updated": t,
            "context": context,
        }
        self.states[entity_id] = new
        self.fire("state_changed",
                  {"entity_id": entity_id,
                   "old_state": copy.deepcopy(old),
                   "new_state": copy.deepcopy(new)},
                  context)

    async def ticker(self):
        """Every 200 ms re-write light.kitchen (new last_updated) -> state_changed."""
        while True:
            await asyncio.sleep(TICK_SECONDS)
            cur = self.states["light.kitchen"]
            self.set_state("light.kitchen", cur["state"],
                           copy.deepcopy(cur["attributes"]), new_context())

    # -- services ------------------------------------------------------------
    def services(self):
        entity_field = {"example": "light.kitchen", "selector": {"entity": {}}}
        return {
            "light": {
                "turn_on": {
                    "name": "Turn on",
                    "description": "Turn on one or more lights.",
                    "fields": {
                        "brightness": {
                            "name": "Brightness value",
                            "description": "Brightness, 0..255.",
                            "example": 120,
                            "selector": {"number": {"min": 0, "max": 255}},
                        },
                    },
                    "target": {"entity": [{"domain": ["light"]}]},
                },
                "turn_off": {
                    "name": "Turn off",
                    "description": "Turn off one or more lights.",
                    "fields": {},
                    "target": {"entity": [{"domain": ["light"]}]},
                },
                "toggle": {
                    "name": "Toggle",
                    "description": "Toggle one or more lights.",
                    "fields": {},
                    "target": {"entity": [{"domain": ["light"]}]},
                },
            },
            "switch": {
                "turn_on": {"name": "Turn on", "description": "Turn a switch on.",
                            "fields": {}, "target": {"entity": [{"domain": ["switch"]}]}},
                "turn_off": {"name": "Turn off", "description": "Turn a switch off.",
                             "fields": {}, "target": {"entity": [{"domain": ["switch"]}]}},
                "toggle": {"name": "Toggle", "description": "Toggle a switch.",
                           "fields": {}, "target": {"entity": [{"domain": ["switch"]}]}},
            },
            "homeassistant": {
                "check_config": {"name": "Check configuration",
                                 "description": "Checks the configuration (no-op here).",
                                 "fields": {}},
            },
        }

    def call_service(self, domain, service, service_data, target, context):
        """Execute a service. Raises KeyError if the service does not exist."""
        svcs = self.services()
        if domain not in svcs or service not in svcs[domain]:
            raise KeyError(f"{domain}.{service}")
        if domain not in ("light", "switch"):
            return  # homeassistant.check_config: no effect

        # collect the entity ids (target.entity_id and/or service_data.entity_id)
        ids = []
        for source in (target or {}, service_data or {}):
            val = source.get("entity_id")
            if val is None:
                continue
            if isinstance(val, str):
                val = [v.strip() for v in val.split(",") if v.strip()]
            if not isinstance(val, list) or not all(isinstance(v, str) for v in val):
                raise Invalid("Entity ID must be a string or a list of strings "
                              "@ data['entity_id']")
            ids.extend(val)
        if not ids or "all" in ids:
            ids = [e for e in self.states if e.startswith(domain + ".")]
        ids = [e for e in dict.fromkeys(ids)
               if e.startswith(domain + ".") and e in self.states]

        brightness = None
        if domain == "light" and service == "turn_on" and service_data \
                and "brightness" in service_data:
            try:
                brightness = int(service_data["brightness"])
            except (TypeError, ValueError):
                raise Invalid("expected int for dictionary value "
                              "@ data['brightness']. Got "
                              + repr(service_data["brightness"]))
            if not 0 <= brightness <= 255:
                raise Invalid("value must be at most 255 and at least 0 "
                              "for dictionary value @ data['brightness']")

        for eid in ids:
            cur = self.states[eid]
            attrs = copy.deepcopy(cur["attributes"])
            if service == "toggle":
                new = "off" if cur["state"] == "on" else "on"
            elif service == "turn_on":
                new = "on"
            else:
                new = "off"
            if domain == "light":
                if new == "on":
                    if brightness is not None:
                        attrs["brightness"] = brightness
                    else:
                        attrs.setdefault("brightness", 255)
                else:
                    attrs.pop("brightness", None)
            self.set_state(eid, new, attrs, context)

    def config(self):
        return {
            "latitude": 52.3731,
            "longitude": 4.8922,
            "elevation": 0,
            "unit_system": {
                "length": "km",
                "accumulated_precipitation": "mm",
                "mass": "g",
                "pressure": "Pa",
                "temperature": "\u00b0C",
                "volume": "L",
                "wind_speed": "m/s",
            },
            "location_name": "Test Home",
            "time_zone": "UTC",
            "components": ["homeassistant", "light", "sensor", "switch", "websocket_api"],
            "config_dir": "/config",
            "allowlist_external_dirs": [],
            "allowlist_external_urls": [],
            "version": HA_VERSION,
            "config_source": "storage",
            "safe_mode": False,
            "state": "RUNNING",
            "external_url": None,
            "internal_url": None,
            "currency": "EUR",
            "country": None,
            "language": "en",
        }

    def panels(self):
        return [
            {"component_name": "lovelace", "icon": None, "title": None,
             "config": {"mode": "storage"}, "url_path": "lovelace",
             "require_admin": False},
            {"component_name": "config", "icon": "hass:cog", "title": "config",
             "config": None, "url_path": "config", "require_admin": True},
        ]


# --------------------------------------------------------------------------
# One WebSocket connection
# --------------------------------------------------------------------------

class Connection:
    def __init__(self, hass, ws, token, fault):
        self.hass = hass
        self.ws = ws
        self.token = token
        self.fault = fault
        self.queue = asyncio.Queue()   # outgoing messages, strictly ordered
        self.subscriptions = {}        # subscription id -> event_type or None (all)
        self.last_id = 0
        self.authenticated = False

    # -- output ------------------------------------------------------------
    def send(self, msg):
        self.queue.put_nowait(json.dumps(msg))

    async def writer(self):
        while True:
            text = await self.queue.get()
            if text is None:
                return
            await self.ws.send(text)

    def result(self, msg_id, result=None):
        if self.fault == "result-id" and isinstance(msg_id, int):
            msg_id = msg_id + 1000
        self.send({"id": msg_id, "type": "result", "success": True, "result": result})

    def error(self, msg_id, code, message):
        if self.fault == "result-id" and isinstance(msg_id, int):
            msg_id = msg_id + 1000
        self.send({"id": msg_id, "type": "result", "success": False,
                   "error": {"code": code, "message": message}})

    def deliver(self, event):
        """Called by the bus: queue one event message per matching subscription."""
        if not self.authenticated:
            return
        for sub_id, event_type in list(self.subscriptions.items()):
            if event_type is None or event_type == MATCH_ALL \
                    or event_type == event["event_type"]:
                self.send({"id": sub_id, "type": "event", "event": event})

    # -- main loop -----------------------------------------------------------
    async def run(self):
        writer = asyncio.ensure_future(self.writer())
        try:
            self.send({"type": "auth_required", "ha_version": HA_VERSION})
            if not await self.auth_phase():
                # let the writer flush auth_invalid, then close the session
                self.queue.put_nowait(None)
                await writer
                await self.ws.close()
                return
            self.hass.connections.add(self)
            async for raw in self.ws:
                self.handle_raw(raw)
        except websockets.exceptions.ConnectionClosed:
            pass
        finally:
            self.hass.connections.discard(self)
            self.subscriptions.clear()
            writer.cancel()
            try:
                await writer
            except (asyncio.CancelledError, websockets.exceptions.ConnectionClosed):
                pass

    async def auth_phase(self):
        try:
            raw = await asyncio.wait_for(self.ws.recv(), AUTH_TIMEOUT)
        except asyncio.TimeoutError:
            self.send({"type": "auth_invalid", "message": "Did not receive auth message"})
            return False
        try:
            msg = json.loads(raw)
        except (ValueError, TypeError):
            msg = None
        if not isinstance(msg, dict) or msg.get("type") != "auth" \
                or not isinstance(msg.get("access_token"), str):
            self.send({"type": "auth_invalid",
                       "message": "Auth message incorrectly formatted"})
            return False
        if msg["access_token"] != self.token and self.fault != "auth-any-token":
            self.send({"type": "auth_invalid", "message": "Invalid access token or password"})
            return False
        self.authenticated = True
        self.send({"type": "auth_ok", "ha_version": HA_VERSION})
        return True

    def handle_raw(self, raw):
        if isinstance(raw, (bytes, bytearray)):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                raw = None
        try:
            msg = json.loads(raw) if raw is not None else None
        except ValueError:
            msg = None
        if not isinstance(msg, dict):
            self.error(None, ERR_INVALID_FORMAT,
                       "Message incorrectly formatted: expected a JSON object")
            return

        msg_id = msg.get("id")
        if not isinstance(msg_id, int) or isinstance(msg_id, bool):
            self.error(None, ERR_INVALID_FORMAT,
                       "Message incorrectly formatted: expected int for dictionary "
                       "value @ data['id']")
            return
        if msg_id <= self.last_id:
            self.error(msg_id, ERR_ID_REUSE, "Identifier values have to increase.")
            return
        self.last_id = msg_id

        mtype = msg.get("type")
        if not isinstance(mtype, str):
            self.error(msg_id, ERR_INVALID_FORMAT,
                       "Message incorrectly formatted: expected str for dictionary "
                       "value @ data['type']")
            return

        handler = getattr(self, "cmd_" + mtype, None) if mtype.isidentifier() else None
        if handler is None:
            self.error(msg_id, ERR_UNKNOWN_COMMAND, "Unknown command.")
            return
        try:
            handler(msg_id, msg)
        except Invalid as err:
            self.error(msg_id, ERR_INVALID_FORMAT, f"Message incorrectly formatted: {err}")

    # -- field helpers -----------------------------------------------------
    @staticmethod
    def _opt(msg, key, types, type_name):
        if key not in msg:
            return None
        val = msg[key]
        if not isinstance(val, types) or isinstance(val, bool) and bool not in types:
            raise Invalid(f"expected {type_name} for dictionary value @ data['{key}']. "
                          f"Got {json.dumps(val)}")
        return val

    def _req(self, msg, key, types, type_name):
        if key not in msg:
            raise Invalid(f"required key not provided @ data['{key}']. Got None")
        return self._opt(msg, key, types, type_name)

    # -- commands ----------------------------------------------------------
    def cmd_ping(self, msg_id, msg):
        self.send({"id": msg_id, "type": "pong"})

    def cmd_subscribe_events(self, msg_id, msg):
        event_type = self._opt(msg, "event_type", (str,), "str")
        self.subscriptions[msg_id] = event_type
        self.result(msg_id, None)

    def cmd_unsubscribe_events(self, msg_id, msg):
        sub = self._req(msg, "subscription", (int,), "int")
        if sub not in self.subscriptions:
            self.error(msg_id, ERR_NOT_FOUND, "Subscription not found.")
            return
        del self.subscriptions[sub]
        self.result(msg_id, None)

    def cmd_fire_event(self, msg_id, msg):
        event_type = self._req(msg, "event_type", (str,), "str")
        event_data = self._opt(msg, "event_data", (dict,), "dict")
        context = new_context()
        self.hass.fire(event_type, event_data if event_data is not None else {}, context)
        self.result(msg_id, {"context": context})

    def cmd_call_service(self, msg_id, msg):
        domain = self._req(msg, "domain", (str,), "str")
        service = self._req(msg, "service", (str,), "str")
        service_data = self._opt(msg, "service_data", (dict,), "dict")
        target = self._opt(msg, "target", (dict,), "dict")
        self._opt(msg, "return_response", (bool,), "bool")
        context = new_context()
        try:
            self.hass.call_service(domain, service, service_data, target, context)
        except KeyError:
            self.error(msg_id, ERR_NOT_FOUND, f"Service {domain}.{service} not found.")
            return
        self.result(msg_id, {"context": context, "response": None})

    def cmd_get_states(self, msg_id, msg):
        self.result(msg_id, copy.deepcopy(list(self.hass.states.values())))

    def cmd_get_config(self, msg_id, msg):
        self.result(msg_id, self.hass.config())

    def cmd_get_services(self, msg_id, msg):
        self.result(msg_id, self.hass.services())

    def cmd_get_panels(self, msg_id, msg):
        self.result(msg_id, self.hass.panels())


# --------------------------------------------------------------------------
# Server plumbing (works with websockets 10.x legacy API and >= 13 new API)
# --------------------------------------------------------------------------

def _path_ok(path):
    return path.split("?", 1)[0] == API_PATH


async def main():
    parser = argparse.ArgumentParser(description="Fake Home Assistant WebSocket API server")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--token", default="test-token")
    parser.add_argument("--fault", choices=FAULTS, default=None)
    args = parser.parse_args()

    hass = Hass()

    if _new_serve is not None:
        async def handler(connection):
            await Connection(hass, connection, args.token, args.fault).run()

        def process_request(connection, request):
            if not _path_ok(request.path):
                return connection.respond(HTTPStatus.NOT_FOUND, "Not Found\n")
            return None

        server = await _new_serve(handler, args.host, args.port,
                                  process_request=process_request,
                                  compression=None, close_timeout=1)
    else:
        async def handler(ws, path=None):
            await Connection(hass, ws, args.token, args.fault).run()

        async def process_request(path, request_headers):
            if not _path_ok(path):
                return (HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain")],
                        b"Not Found\n")
            return None

        server = await websockets.serve(handler, args.host, args.port,
                                        process_request=process_request,
                                        compression=None, close_timeout=1)

    port = server.sockets[0].getsockname()[1] if hasattr(server, "sockets") \
        else list(server.server.sockets)[0].getsockname()[1]
    sys.stdout.write(f"LISTENING {port}\n")
    sys.stdout.flush()

    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
        except (NotImplementedError, RuntimeError):
            pass

    ticker = asyncio.ensure_future(hass.ticker())
    try:
        await stop
    finally:
        ticker.cancel()
        server.close()
        try:
            await asyncio.wait_for(server.wait_closed(), 3)
        except Exception:
            pass


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    sys.exit(0)
