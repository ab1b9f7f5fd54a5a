#!/usr/bin/python3
"""Gemini chat Socket.IO server, written from SEED.md ("WebSocket Events Reference").

Usage: python3 server.py [--port N] [--fault NAME] [--token T] [--admin-token A]
Prints the bound port alone on the first stdout line, then serves until SIGTERM/SIGINT.
The "model" is simulated: canned, context-aware answers streamed in small pieces.
"""
import argparse, asyncio, hashlib, logging, random, re, signal, socket, time
from collections import Counter
from datetime import datetime, timezone

import engineio.payload
import socketio
from aiohttp import web

FAULTS = ('accumulated-lags', 'monitoring-open')
p = argparse.ArgumentParser()
p.add_argument('--port', type=int, default=0)
p.add_argument('--fault', choices=FAULTS, default=None)
p.add_argument('--token', default='user-token')
p.add_argument('--admin-token', default='admin-token')
ARGS = p.parse_args()

for name in ('socketio', 'engineio', 'aiohttp', 'aiohttp.access'):
    logging.getLogger(name).setLevel(logging.CRITICAL)

sio = socketio.AsyncServer(async_mode='aiohttp', cors_allowed_origins='*',
                           logger=False, engineio_logger=False)
# Long-polling clients may batch many emits into one POST; engine.io's default cap is 16 packets.
engineio.payload.Payload.max_decode_packets = 512

def now_iso():
    return datetime.now(timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')

def new_call_id():
    return f'call_{int(time.time() * 1000)}_{random.randint(100, 999)}'

# ---------------------------------------------------------------- state
USERS = {}      # sid -> {'userId', 'role', 'sessionId'}
SESSIONS = {}   # sessionId -> Session
PENDING = {}    # callId -> (Session, tool, args, asyncio.Future)
EVENTS = []     # monitoring log (bounded)
MAX_EVENTS = 5000
MON_ROOM = 'monitoring'

class Session:
    def __init__(self, session_id):
        self.id, self.members, self.task = session_id, set(), None   # task: running model turn
        self.history = []   # [{'role': 'user'|'model', 'content', 'userId' (user turns), 'timestamp'}]

    @property
    def busy(self):
        return self.task is not None and not self.task.done()

async def err(sid, message):
    await sio.emit('error', {'message': message}, to=sid)

async def record(etype, sid, data, session_id=None):
    """Append an activity event to the log and push it to monitoring subscribers."""
    u = USERS.get(sid, {})
    ev = {'type': etype, 'userId': u.get('userId'),
          'sessionId': session_id if session_id is not None else u.get('sessionId'),
          'data': data, 'timestamp': now_iso()}
    EVENTS.append(ev)
    del EVENTS[:-MAX_EVENTS]
    await sio.emit('monitoring:event', ev, room=MON_ROOM)

# ---------------------------------------------------------------- simulated tools
VFS = {
    '/workspace/file.txt': 'Hello from the workspace.\nThis file is used for testing tool calls.\n',
    '/workspace/README.md': '# Demo project\n\nA small service with an HTTP API and a worker queue.\n',
    '/workspace/src/app.py': 'from api import create_app\n\napp = create_app()\n',
    '/workspace/src/api.py': 'def create_app():\n    # TODO: add auth middleware\n    return object()\n',
}
def _tool(name, description, props, required):
    return {'name': name, 'description': description, 'parameters': {
        'type': 'object', 'properties': {p: {'type': 'string'} for p in props}, 'required': required}}

TOOLS = [_tool('readFile', 'Read the contents of a file in the workspace.', ['path'], ['path']),
         _tool('writeFile', 'Create or overwrite a file in the workspace.', ['path', 'content'], ['path', 'content']),
         _tool('listDirectory', 'List the entries of a workspace directory.', ['path'], ['path'])]
TOOL_NAMES = {t['name'] for t in TOOLS}

def _need_str(args, key):
    v = args.get(key)
    if not isinstance(v, str) or not v:
        raise ValueError(f"Missing or invalid argument '{key}'")
    return v

def run_tool(name, args):
    """Execute a simulated tool. Returns (result, resultDisplay); raises on failure."""
    if name not in TOOL_NAMES or not isinstance(args, dict):
        raise ValueError(f'Unknown tool: {name}' if name not in TOOL_NAMES else 'Tool arguments must be an object')
    if name == 'readFile':
        path = _need_str(args, 'path')
        if path not in VFS:
            raise FileNotFoundError(f'ENOENT: no such file or directory, open {path!r}')
        text = VFS[path]
        return text, f'Read {len(text.splitlines())} lines from {path}'
    if name == 'writeFile':
        path, content = _need_str(args, 'path'), args.get('content', '')
        VFS[path] = content = content if isinstance(content, str) else str(content)
        return f'Wrote {len(content.encode())} bytes to {path}', f'Wrote {path}'
    path = _need_str(args, 'path').rstrip('/') + '/'   # name == 'listDirectory'
    entries = sorted({k[len(path):].split('/')[0] for k in VFS if k.startswith(path)})
    if not entries:
        raise FileNotFoundError(f'ENOENT: no such directory {path.rstrip("/")!r}')
    return '\n'.join(entries), f'Listed {len(entries)} entries in {path.rstrip("/")}'

async def execute_tool(target, name, args, call_id):
    """Run a tool and emit the tool:execution-* events to `target` (room or sid)."""
    await sio.emit('tool:execution-start', {'name': name, 'args': args, 'callId': call_id}, room=target)
    t0 = time.perf_counter()
    await asyncio.sleep(random.uniform(0.005, 0.02))   # pretend to do I/O
    try:
        result, display = run_tool(name, args)
    except Exception as e:  # tool failure is reported, never raised
        ms = round((time.perf_counter() - t0) * 1000)
        await sio.emit('tool:execution-error', {'name': name, 'error': str(e), 'executionTime': ms}, room=target)
        return False, str(e)
    ms = round((time.perf_counter() - t0) * 1000)
    await sio.emit('tool:execution-complete', {'name': name, 'result': result, 'resultDisplay': display,
                                               'executionTime': ms}, room=target)
    return True, result

# ---------------------------------------------------------------- simulated model
def plan_reply(content):
    """Decide what the model does: returns (thought, intro, tool_call or None, answer).
    A thought is a (thought, summary) pair."""
    low = content.lower()
    path = next(iter(re.findall(r'(/[\w./-]+)', content)), None)
    if re.search(r'\b(read|open|show|cat)\b', low) and (path or 'file' in low):
        path = path or '/workspace/README.md'
        return (('The user refers to a file; reading it beats guessing its contents.', 'Reading the file'),
                f'Let me read {path} first.', ('readFile', {'path': path}), None)
    if re.search(r'\b(list|ls)\b', low) and re.search(r'\b(files?|dir\w*|folder|workspace)\b', low):
        return (('I need to see which files exist before I can answer.', 'Listing the directory'),
                'I will list the workspace contents.',
                ('listDirectory', {'path': path or '/workspace'}), None)
    if re.search(r'\b(hello|hi|hey|help)\b', low):
        answer = ("Hello! I'm Gemini, running in this workspace. I can answer questions, explain code, "
                  "and—with your approval—read, list and edit files using tools. What would you like to work on?")
    elif 'code' in low or 'python' in low or 'function' in low:
        answer = ("Here's a small, idiomatic example:\n\n```python\ndef chunk(items, size):\n"
                  "    for i in range(0, len(items), size):\n        yield items[i:i + size]\n```\n\n"
                  "It yields successive slices, so it works lazily on large lists.")
    else:
        answer = random.choice([
            f'Good question. In short: "{content[:60]}" depends on your constraints, but the usual approach is to '
            'start simple, measure, and only then optimise the parts that matter.',
            'Sure. I would break this into three steps: clarify the goal, sketch a minimal solution, '
            'and then iterate with tests so each change stays small and verifiable.',
            'Here is my take: keep the interface small, make failures explicit, and document the '
            'assumptions you rely on. That usually pays off more than clever optimisations.'])
    return (('This can be answered directly from general knowledge; no tools needed.', 'Answering directly'),
            None, None, answer)

def pieces(text):
    """Split text into small streaming chunks (1-3 words, whitespace preserved)."""
    words, out = re.findall(r'\s*\S+', text), []
    while words:
        n = random.randint(1, 3)
        out.append(''.join(words[:n]))
        del words[:n]
    return out

async def stream(sess, text, acc):
    """Stream `text` to the session; acc is a one-element list holding the accumulated text."""
    for piece in pieces(text):
        before = acc[0]
        acc[0] += piece
        # FAULT accumulated-lags: `accumulated` omits the chunk being delivered.
        accumulated = before if ARGS.fault == 'accumulated-lags' else acc[0]
        await sio.emit('gemini:content', {'text': piece, 'accumulated': accumulated}, room=sess.id)
        await asyncio.sleep(random.uniform(0.01, 0.03))

async def generate(sess, sid, content):
    """One model turn: thought, streamed text, optional approved tool call, done."""
    acc = ['']
    call_id = None
    try:
        thought, intro, tool_call, answer = plan_reply(content)
        await asyncio.sleep(random.uniform(0.01, 0.03))
        await sio.emit('gemini:thought', {'thought': thought[0], 'summary': thought[1]}, room=sess.id)
        if tool_call:
            name, args = tool_call
            await stream(sess, intro + ' ', acc)
            call_id = new_call_id()
            fut = asyncio.get_running_loop().create_future()
            PENDING[call_id] = (sess, name, args, fut)
            await sio.emit('gemini:tool-request', {'callId': call_id, 'tool': name, 'args': args}, room=sess.id)
            await record('tool-request', sid, {'tool': name, 'args': args, 'callId': call_id}, sess.id)
            approved, who, reason = await fut     # resolved by tool:approve / tool:reject
            if approved:
                ok, result = await execute_tool(sess.id, name, args, call_id)
                await record('tool', sid, {'tool': name, 'callId': call_id, 'success': ok, 'approvedBy': who}, sess.id)
                await sio.emit('gemini:tool-result', {'callId': call_id, 'result': result}, room=sess.id)
                if ok:
                    first = result.strip().splitlines()[0] if result.strip() else '(empty)'
                    answer = (f'The {name} call succeeded. The first line of the result is "{first[:80]}". '
                              f"Overall it looks consistent; let me know if you'd like me to dig deeper.")
                else:
                    answer = f'The {name} call failed ({result}). You may want to check the arguments and try again.'
            else:
                answer = (f'Understood, I will not run {name}' + (f' ({reason}).' if reason else '.') +
                          ' I can still help if you paste the relevant content here.')
        await stream(sess, answer, acc)
        sess.history.append({'role': 'model', 'content': acc[0], 'timestamp': now_iso()})
        await sio.emit('gemini:done', {'fullResponse': acc[0], 'timestamp': now_iso()}, room=sess.id)
        await record('response', sid, {'length': len(acc[0])}, sess.id)
    except asyncio.CancelledError:
        raise
    except Exception as e:  # never let one turn break the server
        await sio.emit('gemini:error', {'error': f'Generation failed: {e}'}, room=sess.id)
    finally:
        if call_id:
            PENDING.pop(call_id, None)

def cancel_generation(sess):
    """Cancel the running turn (and any pending tool call). Returns True if one was running."""
    if not sess.busy:
        return False
    sess.task.cancel()
    for cid in [c for c, v in PENDING.items() if v[0] is sess]:
        PENDING.pop(cid)
    return True

# ---------------------------------------------------------------- helpers
def user_session(sid):
    u = USERS.get(sid)
    return SESSIONS.get(u['sessionId']) if u and u.get('sessionId') else None

def is_admin(sid):
    # FAULT monitoring-open: the admin-only gate is not enforced.
    return ARGS.fault == 'monitoring-open' or USERS.get(sid, {}).get('role') == 'admin'

def needs_session(handler):
    """Chat operations act on the caller's joined session; without one -> 'Session not found'."""
    async def wrapper(sid, data=None, *_):
        sess = user_session(sid)
        if not sess:
            return await err(sid, 'Session not found')
        return await handler(sid, sess, data)
    return wrapper

def obj(data):
    """Normalise an event payload: None -> {}, non-dict -> None (invalid)."""
    if data is None:
        return {}
    return data if isinstance(data, dict) else None

async def leave_session(sid):
    sess = user_session(sid)
    if not sess:
        return
    sess.members.discard(sid)
    sio.leave_room(sid, sess.id)
    USERS[sid]['sessionId'] = None
    if not sess.members:
        cancel_generation(sess)   # nobody left to receive the answer

# ---------------------------------------------------------------- connection
@sio.event
async def connect(sid, environ, auth):
    token = auth.get('token') if isinstance(auth, dict) else None
    if isinstance(token, str) and token.startswith('Bearer '):
        token = token[7:]
    if not isinstance(token, str) or token not in (ARGS.token, ARGS.admin_token):
        raise socketio.exceptions.ConnectionRefusedError('Authentication failed')
    role = 'admin' if token == ARGS.admin_token else 'user'
    uid = f'{role}_{hashlib.sha256(token.encode()).hexdigest()[:8]}'
    USERS[sid] = {'userId': uid, 'role': role, 'sessionId': None}
    await record('connect', sid, {'role': role})

@sio.event
async def disconnect(sid):
    if sid not in USERS:
        return
    await record('disconnect', sid, {})
    await leave_session(sid)
    USERS.pop(sid, None)

# ---------------------------------------------------------------- sessions
@sio.on('join-session')
async def join_session(sid, data=None, *_):
    session_id = (obj(data) or {}).get('sessionId')
    if not isinstance(session_id, str) or not session_id.strip() or len(session_id) > 200:
        return await err(sid, 'Invalid message format')
    if USERS[sid].get('sessionId') != session_id:
        await leave_session(sid)
    sess = SESSIONS.setdefault(session_id, Session(session_id))
    sess.members.add(sid)
    USERS[sid]['sessionId'] = session_id
    sio.enter_room(sid, session_id)
    await sio.emit('session-joined', {'sessionId': session_id}, to=sid)
    await record('session-join', sid, {'sessionId': session_id}, session_id)

# ---------------------------------------------------------------- chat
@sio.on('chat:message')
@needs_session
async def chat_message(sid, sess, data):
    content = (obj(data) or {}).get('content')
    if not isinstance(content, str) or not content.strip() or len(content) > 20000:
        return await err(sid, 'Invalid message format')
    if sess.busy:
        return await sio.emit('gemini:error', {'error': 'A response is already being generated for this session'},
                              to=sid)
    sess.history.append({'role': 'user', 'userId': USERS[sid]['userId'], 'content': content, 'timestamp': now_iso()})
    sess.task = asyncio.create_task(generate(sess, sid, content))   # set before any await: no double start
    await record('chat', sid, {'userMessage': content}, sess.id)

@sio.on('chat:cancel')
@needs_session
async def chat_cancel(sid, sess, data):
    if cancel_generation(sess):
        await sio.emit('gemini:cancelled', {'message': 'Request cancelled'}, room=sess.id)
        await record('cancel', sid, {}, sess.id)
    else:
        await sio.emit('gemini:cancelled', {'message': 'No active request to cancel'}, to=sid)

@sio.on('chat:clear')
@needs_session
async def chat_clear(sid, sess, data):
    if cancel_generation(sess):
        await sio.emit('gemini:cancelled', {'message': 'Request cancelled: conversation cleared'}, room=sess.id)
    sess.history.clear()
    await sio.emit('chat:cleared', {'timestamp': now_iso()}, room=sess.id)
    await record('clear', sid, {}, sess.id)

@sio.on('chat:get-history')
@needs_session
async def chat_get_history(sid, sess, data):
    await sio.emit('chat:history', {'history': list(sess.history), 'timestamp': now_iso()}, to=sid)

@sio.on('chat:typing')
@needs_session
async def chat_typing(sid, sess, data):
    """Not documented client->server; relayed to the *other* members of the session."""
    data = obj(data)
    typing = data.get('typing', True) if data is not None else None
    if not isinstance(typing, bool):
        return await err(sid, 'Invalid message format')
    await sio.emit('chat:typing', {'userId': USERS[sid]['userId'], 'typing': typing}, room=sess.id, skip_sid=sid)

# ---------------------------------------------------------------- tools
@sio.on('tool:execute')
async def tool_execute(sid, data=None, *_):
    data = obj(data)
    if data is None or not isinstance(data.get('name'), str) or not isinstance(data.get('args', {}), dict):
        return await err(sid, 'Invalid message format')
    call_id = data.get('callId') if isinstance(data.get('callId'), str) and data['callId'] else new_call_id()
    sess = user_session(sid)
    args = data.get('args', {})
    ok, _ = await execute_tool(sess.id if sess else sid, data['name'], args, call_id)
    await record('tool', sid, {'tool': data['name'], 'callId': call_id, 'success': ok, 'manual': True})

async def _resolve(sid, data, approved):
    data = obj(data) or {}
    call_id = data.get('callId')
    if not isinstance(call_id, str):
        return await err(sid, 'Invalid message format')
    entry = PENDING.get(call_id)
    if not entry or entry[3].done() or not entry[0].busy:
        return await err(sid, 'Tool call not found')
    sess, name, _args, fut = entry
    if sid not in sess.members:
        return await err(sid, 'Access denied')
    who = USERS[sid]['userId']
    PENDING.pop(call_id, None)   # a call is decided once; later approve/reject -> 'Tool call not found'
    if approved:
        reason = None
        await sio.emit('tool:approved', {'approvedBy': who, 'callId': call_id, 'timestamp': now_iso()}, room=sess.id)
    else:
        reason = data.get('reason') if isinstance(data.get('reason'), str) and data['reason'] else 'No reason given'
        await sio.emit('tool:rejected', {'rejectedBy': who, 'reason': reason, 'callId': call_id}, room=sess.id)
        await record('tool-rejected', sid, {'tool': name, 'callId': call_id, 'reason': reason}, sess.id)
    if not fut.done():   # the turn may have been cancelled meanwhile
        fut.set_result((approved, who, reason))

@sio.on('tool:approve')
async def tool_approve(sid, data=None, *_):
    await _resolve(sid, data, True)

@sio.on('tool:reject')
async def tool_reject(sid, data=None, *_):
    await _resolve(sid, data, False)

@sio.on('tool:list')
async def tool_list(sid, data=None, *_):
    await sio.emit('tool:list-response', {'tools': TOOLS}, to=sid)

# ---------------------------------------------------------------- monitoring (admin only)
def admin_only(handler):
    async def wrapper(sid, data=None, *_):
        return await (handler(sid, data) if is_admin(sid) else err(sid, 'Access denied'))
    return wrapper

@sio.on('monitoring:subscribe')
@admin_only
async def mon_subscribe(sid, data=None, *_):
    sio.enter_room(sid, MON_ROOM)

@sio.on('monitoring:unsubscribe')
@admin_only
async def mon_unsubscribe(sid, data=None, *_):
    sio.leave_room(sid, MON_ROOM)

def _filtered(data):
    evs = EVENTS
    if isinstance(data.get('userId'), str):
        evs = [e for e in evs if e['userId'] == data['userId']]
    if isinstance(data.get('sessionId'), str):
        evs = [e for e in evs if e['sessionId'] == data['sessionId']]
    return evs

@sio.on('monitoring:get-events')
@admin_only
async def mon_get_events(sid, data=None, *_):
    data = obj(data)
    limit = (data or {}).get('limit', 100)
    if data is None or isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        return await err(sid, 'Invalid message format')
    evs = _filtered(data)
    await sio.emit('monitoring:events', {'events': evs[-limit:] if limit else []}, to=sid)

@sio.on('monitoring:get-stats')
@admin_only
async def mon_get_stats(sid, data=None, *_):
    data = obj(data)
    if data is None:
        return await err(sid, 'Invalid message format')
    evs = _filtered({'userId': data.get('userId')})
    await sio.emit('monitoring:stats', {
        'totalEvents': len(evs), 'byType': dict(Counter(e['type'] for e in evs)),
        'byUser': dict(Counter(e['userId'] for e in evs if e['userId'])),
        'toolUsage': dict(Counter(e['data']['tool'] for e in evs if e['type'] == 'tool'))}, to=sid)

@sio.on('monitoring:broadcast')
@admin_only
async def mon_broadcast(sid, data=None, *_):
    data = obj(data) or {}
    msg, btype = data.get('message'), data.get('type', 'info')
    if not isinstance(msg, str) or not msg.strip() or btype not in ('info', 'warning', 'error'):
        return await err(sid, 'Invalid message format')
    await sio.emit('system:broadcast', {'message': msg, 'type': btype, 'from': USERS[sid]['userId'],
                                        'timestamp': now_iso()})
    await record('broadcast', sid, {'message': msg, 'type': btype})

# ---------------------------------------------------------------- main
async def main():
    app = web.Application()
    sio.attach(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.create_server(('127.0.0.1', ARGS.port))
    await web.SockSite(runner, sock).start()
    print(sock.getsockname()[1], flush=True)
    stop = asyncio.Event()
    for s in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(s, stop.set)
    await stop.wait()
    await runner.cleanup()

if __name__ == '__main__':
    asyncio.run(main())
