#!/usr/bin/env python3
"""A small app backend beside Parley, with Python's standard library only.

It does the three things an app's backend does with Parley (docs/integration.md):

- signs its users in with its own tokens: POST /login {"user": "alice"} answers an HS256 token
  that parleyd accepts because both know the same secret (parleyd --app-jwt-secret);
- makes a room for two of its users through Parley's server API: POST /rooms
  {"users": ["alice", "bob"], "name": "..."} upserts both by their id in this app, and creates a
  group of the two and the app's bot;
- answers Parley's webhooks: POST /webhooks checks the Standard Webhooks signature and, for
  each message.created that a person wrote, has the bot reply in the room.

Settings come from the environment:
  PARLEY_URL          Parley's address, e.g. http://127.0.0.1:8080
  PARLEY_API_KEY      a key from `parleyd api-keys create --name backend`
  APP_JWT_SECRET      the secret parleyd was given as --app-jwt-secret (32 bytes or more)
  WEBHOOK_SECRET      the whsec_... secret of parleyd's --webhook setting for this backend
  PORT                where this backend listens (default 8090)
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PARLEY_URL = os.environ.get("PARLEY_URL", "http://127.0.0.1:8080").rstrip("/")
API_KEY = os.environ["PARLEY_API_KEY"]
APP_JWT_SECRET = os.environ["APP_JWT_SECRET"].encode()
WEBHOOK_SECRET = os.environ["WEBHOOK_SECRET"]
PORT = int(os.environ.get("PORT", "8090"))

# A webhook older or newer than this is refused: a captured request cannot be replayed later.
WEBHOOK_TOLERANCE_S = 300
BOT_ID_IN_APP = "echo-bot"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def app_token(user: str, lifetime_s: int = 3600) -> str:
    """The app's own access token for `user`: what its sign-in would hand the phone."""
    now = int(time.time())
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {"sub": user, "preferred_username": user, "name": user.title(), "iat": now, "exp": now + lifetime_s}
    payload = b64url(json.dumps(claims).encode())
    signature = hmac.new(APP_JWT_SECRET, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def server_api(method: str, path: str, body=None) -> dict:
    """One call of Parley's server API with the backend's key; raises on an error answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(PARLEY_URL + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + API_KEY)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {path}: {e.code} {e.read().decode(errors='replace')}") from None


def upsert_user(external_id: str, bot: bool = False) -> int:
    """Parley's user id for the app's user `external_id`, made the first time."""
    answer = server_api("POST", "/v1/server/users", {"external_id": external_id, "username": external_id, "bot": bot})
    return answer["user"]["id"]


def verify_webhook(headers, body: bytes) -> bool:
    """Standard Webhooks: base64(HMAC-SHA256(key, "id.timestamp.body")), key = base64 after whsec_."""
    webhook_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not webhook_id or not timestamp.isdigit() or abs(time.time() - int(timestamp)) > WEBHOOK_TOLERANCE_S:
        return False
    key = base64.b64decode(WEBHOOK_SECRET.removeprefix("whsec_"))
    signed = webhook_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # The header may carry several signatures (during a secret's rotation), space-separated.
    return any(hmac.compare_digest("v1," + expected, s) for s in signatures.split())


class Backend:
    def __init__(self):
        self.bot_id = upsert_user(BOT_ID_IN_APP, bot=True)

    def make_room(self, users, name):
        members = [{"user_id": upsert_user(u), "role": "member"} for u in users]
        answer = server_api("POST", "/v1/server/rooms", {"name": name, "creator_id": self.bot_id, "members": members})
        return answer["room"]["id"]

    def on_event(self, webhook_id: str, event: dict):
        if event.get("type") != "message.created":
            return
        message = event["data"]["message"]
        if message["sender_id"] == self.bot_id or message.get("type") != "text":
            return  # never answer itself, nor system messages
        # Deliveries come at least once. The reply's client_msg_id comes from the webhook-id, so
        # that a reply sent again (a redelivery, or a retry after Parley refused it) is stored once.
        server_api("POST", f"/v1/server/rooms/{message['room_id']}/messages",
                   {"sender_id": self.bot_id, "client_msg_id": "reply-" + webhook_id,
                    "text": "echo: " + message.get("text", "")})


def make_handler(backend: Backend):
    class Handler(BaseHTTPRequestHandler):
        def answer(self, status: int, body: dict):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                if self.path == "/login":
                    user = json.loads(body)["user"]
                    return self.answer(200, {"access_token": app_token(user)})
                if self.path == "/rooms":
                    request = json.loads(body)
                    room = backend.make_room(request["users"], request.get("name", "Chat"))
                    return self.answer(200, {"room_id": room})
                if self.path == "/webhooks":
                    if not verify_webhook(self.headers, body):
                        return self.answer(401, {"error": "bad signature"})
                    backend.on_event(self.headers["webhook-id"], json.loads(body))
                    return self.answer(200, {})
                return self.answer(404, {"error": "no such route"})
            except (KeyError, ValueError) as e:
                return self.answer(400, {"error": f"bad request: {e}"})
            except RuntimeError as e:
                # Parley refused or could not be reached: a webhook answered 502 is retried.
                return self.answer(502, {"error": str(e)})

        def log_message(self, fmt, *args):
            sys.stderr.write("backend: " + (fmt % args) + "\n")

    return Handler


def main():
    backend = Backend()
    server = ThreadingHTTPServer(("127.0.0.1", PORT), make_handler(backend))
    print(f"backend: listening on 127.0.0.1:{PORT}, bot is Parley user {backend.bot_id}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
