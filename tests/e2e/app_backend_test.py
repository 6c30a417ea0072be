#!/usr/bin/env python3
"""The worked example of docs/integration.md, end to end: examples/app_backend/backend.py beside
a real parleyd. The backend signs two of its users in with its own tokens, makes them a room
through the server API, and its bot answers a person's message through a signed webhook.

  PARLEYD=path/to/parleyd python3 tests/e2e/app_backend_test.py
"""
import base64
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BACKEND = os.path.join(ROOT, "examples", "app_backend", "backend.py")
PARLEYD = os.environ["PARLEYD"]
# Bounds on waits, so that a failure ends the test; nothing here measures time.
WAIT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url, method="GET", body=None, token=None, headers=None):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(url, data=data, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, parsed(response.read())
    except urllib.error.HTTPError as e:
        return e.code, parsed(e.read())


def parsed(body: bytes):
    try:
        return json.loads(body or b"{}")
    except ValueError:
        return body.decode(errors="replace")


def wait_for(what, check):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("gave up waiting for " + what)


def reachable(url):
    try:
        call(url)
        return True
    except OSError:
        return False


def main():
    work = tempfile.mkdtemp(prefix="parley-app-backend-")
    parley_port, backend_port = free_port(), free_port()
    parley = f"http://127.0.0.1:{parley_port}"
    app_secret = secrets.token_urlsafe(32)
    webhook_secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    data_dir = os.path.join(work, "data")
    processes = []
    try:
        server_log = open(os.path.join(work, "parleyd.log"), "w")
        processes.append(subprocess.Popen(
            [PARLEYD, "--host", "127.0.0.1", "--port", str(parley_port), "--data-dir", data_dir,
             "--app-jwt-secret", app_secret, "--log-level", "warn",
             "--webhook", f"http://127.0.0.1:{backend_port}/webhooks events=message.created secret={webhook_secret}",
             "--webhook-retry-ms", "100", "--webhook-retry-max-ms", "1000"],
            stdout=server_log, stderr=subprocess.STDOUT))
        wait_for("parleyd", lambda: reachable(parley + "/healthz"))

        key = subprocess.run([PARLEYD, "api-keys", "create", "--name", "backend", "--data-dir", data_dir],
                             check=True, capture_output=True, text=True).stdout.strip()
        assert key.startswith("pk_"), key

        backend_log = open(os.path.join(work, "backend.log"), "w")
        environment = dict(os.environ, PARLEY_URL=parley, PARLEY_API_KEY=key, APP_JWT_SECRET=app_secret,
                           WEBHOOK_SECRET=webhook_secret, PORT=str(backend_port))
        processes.append(subprocess.Popen([sys.executable, BACKEND], env=environment, stdout=backend_log,
                                          stderr=subprocess.STDOUT))
        wait_for("the backend", lambda: reachable(f"http://127.0.0.1:{backend_port}/"))
        backend = f"http://127.0.0.1:{backend_port}"

        # The app's sign-in: its own tokens, which parleyd takes as they are.
        tokens = {}
        for user in ("alice", "bob"):
            status, answer = call(backend + "/login", "POST", {"user": user})
            assert status == 200, answer
            tokens[user] = answer["access_token"]
        status, me = call(parley + "/v1/me", token=tokens["alice"])
        assert status == 200 and me["username"] == "alice", me

        # A room for the two, made by the backend through the server API.
        status, answer = call(backend + "/rooms", "POST", {"users": ["alice", "bob"], "name": "Support"})
        assert status == 200, answer
        room = answer["room_id"]
        status, rooms = call(parley + "/v1/rooms", token=tokens["bob"])
        assert status == 200 and room in [r["id"] for r in rooms["rooms"]], rooms

        # Alice writes; the webhook reaches the backend, whose bot answers in the room.
        status, sent = call(f"{parley}/v1/rooms/{room}/messages", "POST",
                            {"client_msg_id": "alice-1", "text": "hello there"}, token=tokens["alice"])
        assert status == 200, sent

        def bot_replies():
            status, page = call(f"{parley}/v1/rooms/{room}/messages?limit=50", token=tokens["bob"])
            assert status == 200, page
            return [m for m in page["messages"] if m.get("text") == "echo: hello there"]
        replies = wait_for("the bot's reply", bot_replies)
        assert len(replies) == 1, replies
        status, alice_me = call(parley + "/v1/me", token=tokens["alice"])
        assert replies[0]["sender_id"] != alice_me["id"]

        # The backend refuses a webhook that Parley did not sign.
        status, _ = call(backend + "/webhooks", "POST", b'{"type":"message.created"}',
                         headers={"webhook-id": "msg_forged", "webhook-timestamp": str(int(time.time())),
                                  "webhook-signature": "v1,AAAA"})
        assert status == 401, status
        print("app backend example: sign-in, room and bot reply all work")
    except BaseException:
        for name in ("parleyd.log", "backend.log"):
            path = os.path.join(work, name)
            if os.path.exists(path):
                sys.stderr.write(f"---- {name} ----\n" + open(path).read())
        raise
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
