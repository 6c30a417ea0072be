"""parley.Client: the Parley SDK from Python, over libparley's C ABI (docs/sdk.md).

Every method that needs the server blocks until it answers; the GIL is released meanwhile, so
other Python threads run. Updates (new messages, rooms, receipts, typing, presence, connection
state) come from one stream: iterate `updates()`, call `receive()`, or register handlers with
`on()` and let `dispatch()` or `start_dispatching()` call them. Use one of these ways per client:
they all take from the same stream.
"""
from __future__ import annotations

import ctypes
import json
import os
import threading
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from . import _library
from .errors import ParleyError, error_from_json
from .models import Member, Message, Presence, Room, Update, User

_lib = _library.load()

RoomRef = Union[int, Room]
UserRef = Union[int, User, Member]


def version() -> str:
    """The loaded libparley's version, e.g. "0.2.0"."""
    return _lib.parley_version().decode()


def _room_id(room: RoomRef) -> int:
    return room.id if isinstance(room, Room) else int(room)


def _user_id(user: UserRef) -> int:
    if isinstance(user, Member):
        return user.user_id
    return user.id if isinstance(user, User) else int(user)


def _ms(seconds: float) -> int:
    return max(0, int(seconds * 1000))


class Client:
    """A signed-in device: its local database lives in `data_dir` and survives restarts.

    >>> with Client("http://127.0.0.1:8080", "chat-data") as chat:
    ...     chat.login("alice", "secret")
    ...     chat.connect()
    ...     chat.send_text(chat.direct_room("bob"), "hi")
    """

    def __init__(self, server: str, data_dir: Union[str, os.PathLike], *, ca_file: Union[str, os.PathLike, None] = None,
                 request_timeout: Optional[float] = None, max_update_bytes: Optional[int] = None):
        options: dict[str, Any] = {"server": server, "data_dir": os.fspath(data_dir)}
        if ca_file is not None:
            options["ca_file"] = os.fspath(ca_file)
        if request_timeout is not None:
            options["request_timeout_ms"] = _ms(request_timeout)
        if max_update_bytes is not None:
            options["max_update_bytes"] = int(max_update_bytes)
        error = ctypes.c_void_p()
        handle = _lib.parley_client_open(json.dumps(options).encode(), ctypes.byref(error))
        if not handle:
            text = _library.take_string(_lib, error.value)
            raise error_from_json(json.loads(text) if text else {"code": "internal", "message": "open failed"})
        self._handle: Optional[int] = handle
        # close() must not run while another thread is inside the library with this handle
        # (parley.h's thread rules): calls are counted, and close waits for them to finish.
        self._calls = 0
        self._closing = False
        self._calls_done = threading.Condition()
        self._handlers: dict[str, list[Callable[[Update], Any]]] = {}
        self._dispatcher: Optional[threading.Thread] = None
        self._stop_dispatching = threading.Event()

    # --- lifetime -------------------------------------------------------------------------------
    def close(self) -> None:
        """Stops the client's threads and closes its database. Pending messages stay on disk and go
        out with the next client opened on the same data directory."""
        self.stop_dispatching()
        with self._calls_done:
            if self._handle is None:
                return
            self._closing = True
            self._calls_done.wait_for(lambda: self._calls == 0)
            handle, self._handle = self._handle, None
        _lib.parley_client_close(handle)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_handle", None) is not None:
            self.close()

    def _enter(self) -> int:
        with self._calls_done:
            if self._handle is None or self._closing:
                raise ParleyError("closed", "the client is closed", "invalid")
            self._calls += 1
            return self._handle

    def _leave(self) -> None:
        with self._calls_done:
            self._calls -= 1
            self._calls_done.notify_all()

    # --- raw requests ---------------------------------------------------------------------------
    def execute(self, request_type: str, **fields: Any) -> dict:
        """Runs one request of the C API (docs/sdk.md) and returns its `data`; raises ParleyError."""
        request = json.dumps({"type": request_type, **fields}).encode()
        handle = self._enter()
        try:
            answer = json.loads(_library.take_string(_lib, _lib.parley_client_execute(handle, request)))
        finally:
            self._leave()
        if not answer.get("ok"):
            raise error_from_json(answer.get("error") or {})
        data = answer.get("data")
        return data if isinstance(data, dict) else {}

    def send_request(self, request_type: str, extra: Any = None, **fields: Any) -> None:
        """Queues a request without waiting: its answer arrives in the update stream as an
        Update of type "answer" whose raw["@extra"] is `extra`."""
        request = json.dumps({"type": request_type, "@extra": extra, **fields}).encode()
        handle = self._enter()
        try:
            if _lib.parley_client_send(handle, request) != 0:
                raise ParleyError("internal", "the request was not queued")
        finally:
            self._leave()

    # --- account --------------------------------------------------------------------------------
    def register(self, username: str, password: str, display_name: str = "") -> User:
        return User.from_json(self.execute("register", username=username, password=password,
                                           display_name=display_name))

    def login(self, username: str, password: str) -> User:
        return User.from_json(self.execute("login", username=username, password=password))

    def logout(self) -> None:
        self.execute("logout")

    def me(self) -> Optional[User]:
        data = self.execute("me")
        return User.from_json(data) if data.get("id") else None

    def find_user(self, username: str) -> User:
        return User.from_json(self.execute("find_user", username=username))

    # --- connection -----------------------------------------------------------------------------
    def connect(self) -> None:
        """Connects, and reconnects by itself with backoff until disconnect()."""
        self.execute("connect")

    def disconnect(self) -> None:
        self.execute("disconnect")

    @property
    def connection_state(self) -> str:
        return str(self.execute("connection_state").get("state", ""))

    def wait_online(self, timeout: float = 10.0) -> bool:
        """True once online and caught up, False when `timeout` seconds passed first."""
        return bool(self.execute("wait_online", timeout_ms=_ms(timeout)).get("online"))

    def wait_outbox_empty(self, timeout: float = 10.0) -> bool:
        return bool(self.execute("wait_outbox_empty", timeout_ms=_ms(timeout)).get("empty"))

    # --- rooms ----------------------------------------------------------------------------------
    def rooms(self) -> list[Room]:
        return [Room.from_json(r) for r in self.execute("rooms").get("rooms", [])]

    def room(self, room: RoomRef) -> Optional[Room]:
        data = self.execute("room", room_id=_room_id(room))
        return Room.from_json(data) if data.get("id") else None

    def direct_room(self, username: str) -> Room:
        return Room.from_json(self.execute("direct_room", username=username))

    def create_group(self, name: str, members: Iterable[UserRef] = ()) -> Room:
        return Room.from_json(self.execute("create_group", name=name, members=[_user_id(m) for m in members]))

    def rename_group(self, room: RoomRef, name: str) -> None:
        self.execute("rename_group", room_id=_room_id(room), name=name)

    def members(self, room: RoomRef) -> list[Member]:
        return [Member.from_json(m) for m in self.execute("members", room_id=_room_id(room)).get("members", [])]

    def add_member(self, room: RoomRef, user: UserRef, role: str = "member") -> Member:
        return Member.from_json(self.execute("add_member", room_id=_room_id(room), user_id=_user_id(user), role=role))

    def remove_member(self, room: RoomRef, user: UserRef) -> None:
        self.execute("remove_member", room_id=_room_id(room), user_id=_user_id(user))

    def set_role(self, room: RoomRef, user: UserRef, role: str) -> Member:
        return Member.from_json(self.execute("set_role", room_id=_room_id(room), user_id=_user_id(user), role=role))

    def leave(self, room: RoomRef) -> None:
        self.execute("leave", room_id=_room_id(room))

    # --- messages -------------------------------------------------------------------------------
    def send_text(self, room: RoomRef, text: str) -> Message:
        """Returns once the message is in the outbox on disk (state "pending")."""
        return Message.from_json(self.execute("send_text", room_id=_room_id(room), text=text))

    def send_file(self, room: RoomRef, path: Union[str, os.PathLike], *, message_type: str = "",
                  mime_type: str = "", caption: str = "", width: Optional[int] = None,
                  height: Optional[int] = None, duration_ms: Optional[int] = None) -> Message:
        fields: dict[str, Any] = {"room_id": _room_id(room), "path": os.fspath(path)}
        for key, value in (("message_type", message_type), ("mime_type", mime_type), ("caption", caption)):
            if value:
                fields[key] = value
        for key, value in (("width", width), ("height", height), ("duration_ms", duration_ms)):
            if value is not None:
                fields[key] = int(value)
        return Message.from_json(self.execute("send_file", **fields))

    def download(self, upload_id: str) -> Path:
        return Path(self.execute("download", upload_id=upload_id)["path"])

    def retry(self, message: Union[str, Message]) -> None:
        """Puts a failed message back in the outbox."""
        self.execute("retry", client_msg_id=message.client_msg_id if isinstance(message, Message) else message)

    def discard(self, message: Union[str, Message]) -> None:
        """Forgets a failed message."""
        self.execute("discard", client_msg_id=message.client_msg_id if isinstance(message, Message) else message)

    def messages(self, room: RoomRef, limit: int = 50, before: int = 0) -> list[Message]:
        """The local history, oldest first; with before=0 it ends with this device's pending and
        failed messages. Readable offline."""
        data = self.execute("messages", room_id=_room_id(room), limit=limit, before=before)
        return [Message.from_json(m) for m in data.get("messages", [])]

    def load_older(self, room: RoomRef, limit: int = 50) -> list[Message]:
        data = self.execute("load_older", room_id=_room_id(room), limit=limit)
        return [Message.from_json(m) for m in data.get("messages", [])]

    # --- a message's life: each call writes to the outbox and returns the pending entry ------------

    @staticmethod
    def _target(message: Message) -> dict:
        """Names a message by its seq, or by its client_msg_id while it is still pending here."""
        if message.seq > 0:
            return {"room_id": message.room_id, "seq": message.seq}
        return {"room_id": message.room_id, "client_msg_id": message.client_msg_id}

    def reply(self, message: Message, text: str) -> Message:
        return Message.from_json(self.execute("reply", text=text, **self._target(message)))

    def edit(self, message: Message, text: str) -> Message:
        return Message.from_json(self.execute("edit", text=text, **self._target(message)))

    def delete(self, message: Message) -> Message:
        """Deletes the message for everyone; nothing of it stays on this device."""
        return Message.from_json(self.execute("delete_message", **self._target(message)))

    def react(self, message: Message, emoji: str) -> Message:
        return Message.from_json(self.execute("react", emoji=emoji, **self._target(message)))

    def unreact(self, message: Message, emoji: str) -> Message:
        return Message.from_json(self.execute("unreact", emoji=emoji, **self._target(message)))

    def reactions(self, room: RoomRef, seq: int) -> dict[str, list[int]]:
        """Who reacted with what, from the server: emoji (in the order first used) to user ids."""
        data = self.execute("reactions", room_id=_room_id(room), seq=seq)
        return {r["emoji"]: list(r["user_ids"]) for r in data.get("reactions", [])}

    def versions(self, room: RoomRef, seq: int) -> list[str]:
        """The earlier texts of an edited message, oldest first, from the server."""
        return [v["text"] for v in self.execute("versions", room_id=_room_id(room), seq=seq).get("versions", [])]

    def mark_read(self, room: RoomRef, seq: int = 0) -> None:
        self.execute("mark_read", room_id=_room_id(room), seq=seq)

    # --- typing and presence --------------------------------------------------------------------
    def start_typing(self, room: RoomRef) -> None:
        self.execute("start_typing", room_id=_room_id(room))

    def stop_typing(self, room: RoomRef) -> None:
        self.execute("stop_typing", room_id=_room_id(room))

    def typing(self, room: RoomRef) -> list[int]:
        return list(self.execute("typing", room_id=_room_id(room)).get("user_ids", []))

    def set_presence(self, status: str) -> None:
        """available, away, busy or invisible."""
        self.execute("set_presence", status=status)

    def presence(self, user: UserRef) -> Optional[Presence]:
        data = self.execute("presence", user_id=_user_id(user))
        return Presence.from_json(data) if data.get("user_id") else None

    # --- updates --------------------------------------------------------------------------------
    def receive(self, timeout: float = 0.0) -> Optional[Update]:
        """The next update, waiting up to `timeout` seconds; None when none came."""
        handle = self._enter()
        try:
            text = _library.take_string(_lib, _lib.parley_client_receive(handle, float(timeout)))
        finally:
            self._leave()
        if text is None:
            return None
        raw = json.loads(text)
        return Update(str(raw.get("type", "")), raw)

    def updates(self, timeout: Optional[float] = None) -> Iterator[Update]:
        """Updates as they come. With a timeout, the iteration ends after that many seconds
        without one; without, it ends when the client is closed."""
        while True:
            try:
                update = self.receive(0.25 if timeout is None else timeout)
            except ParleyError:
                return  # closed
            if update is not None:
                yield update
            elif timeout is not None:
                return

    def on(self, update_type: str, handler: Callable[[Update], Any]) -> None:
        """Calls `handler(update)` for each update of that type ("*": every update) that
        dispatch() or the dispatching thread takes from the stream."""
        self._handlers.setdefault(update_type, []).append(handler)

    def dispatch(self, timeout: float = 0.0) -> int:
        """Runs the handlers for the updates waiting (waiting up to `timeout` for the first);
        returns how many updates were handled."""
        handled = 0
        update = self.receive(timeout)
        while update is not None:
            for handler in self._handlers.get(update.type, []) + self._handlers.get("*", []):
                handler(update)
            handled += 1
            update = self.receive(0.0)
        return handled

    def start_dispatching(self) -> None:
        """Runs the handlers on a thread of the client's own until stop_dispatching() or close()."""
        if self._dispatcher is not None:
            return
        self._stop_dispatching.clear()

        def run() -> None:
            while not self._stop_dispatching.is_set():
                try:
                    self.dispatch(0.25)
                except ParleyError:
                    return

        self._dispatcher = threading.Thread(target=run, name="parley-dispatch", daemon=True)
        self._dispatcher.start()

    def stop_dispatching(self) -> None:
        thread, self._dispatcher = self._dispatcher, None
        if thread is not None:
            self._stop_dispatching.set()
            if thread is not threading.current_thread():
                thread.join()
