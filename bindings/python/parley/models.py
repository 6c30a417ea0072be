"""What the client returns: plain, read-only values built from the SDK's JSON (docs/sdk.md).
Each keeps the JSON it came from in `raw`, so a field added by a newer library is still reachable."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


def _int_or_none(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str = ""
    bot: bool = False  # an account the app's backend acts as, not a person
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, o: dict) -> "User":
        return cls(o.get("id", 0), o.get("username", ""), o.get("display_name", ""), o.get("bot") is True, o)


@dataclass(frozen=True)
class Attachment:
    upload_id: str
    name: str
    mime_type: str
    size: int
    width: Optional[int] = None
    height: Optional[int] = None
    duration_ms: Optional[int] = None

    @classmethod
    def from_json(cls, o: dict) -> "Attachment":
        return cls(o.get("upload_id", ""), o.get("name", ""), o.get("mime_type", ""), o.get("size", 0),
                   _int_or_none(o.get("width")), _int_or_none(o.get("height")),
                   _int_or_none(o.get("duration_ms")))


@dataclass(frozen=True)
class ReplyPreview:
    """The message a reply answers, as it stands: its text cut to 100 characters, empty once deleted."""
    seq: int
    sender_id: int
    type: str
    text: str
    deleted: bool = False

    @classmethod
    def from_json(cls, o: dict) -> "ReplyPreview":
        return cls(o.get("seq", 0), o.get("sender_id", 0), o.get("type", ""), o.get("text", ""), o.get("deleted") is True)


@dataclass(frozen=True)
class Reaction:
    """One emoji on a message: how many put it there, and whether the signed-in user did."""
    emoji: str
    count: int
    mine: bool = False

    @classmethod
    def from_json(cls, o: dict) -> "Reaction":
        return cls(o.get("emoji", ""), o.get("count", 0), o.get("mine") is True)


@dataclass(frozen=True)
class Message:
    """A message as this device holds it, in its current state (edited, deleted, reactions).
    `state` is pending, sent, delivered, read or failed; `seq` is 0 until the server has it;
    `failure_code` says why it failed. An event (type edit, deletion, reaction,
    reaction_removed) names the message it acts on in `relates_to`."""
    client_msg_id: str
    room_id: int
    seq: int
    id: int
    sender_id: int
    type: str
    text: str
    created_at: int
    state: str
    attachment: Optional[Attachment] = None
    failure: str = ""
    failure_code: Optional[str] = None
    reply_to: Optional[int] = None
    reply_preview: Optional[ReplyPreview] = None
    relates_to: Optional[int] = None
    edited_at: Optional[int] = None
    deleted: bool = False
    reactions: tuple[Reaction, ...] = ()
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, o: dict) -> "Message":
        attachment = o.get("attachment")
        preview = o.get("reply_preview")
        reactions = o.get("reactions")
        return cls(o.get("client_msg_id", ""), o.get("room_id", 0), o.get("seq", 0), o.get("id", 0),
                   o.get("sender_id", 0), o.get("type", "text"), o.get("text", ""), o.get("created_at", 0),
                   o.get("state", ""), Attachment.from_json(attachment) if isinstance(attachment, dict) else None,
                   o.get("failure", ""), o.get("failure_code"), _int_or_none(o.get("reply_to")),
                   ReplyPreview.from_json(preview) if isinstance(preview, dict) else None,
                   _int_or_none(o.get("relates_to")), _int_or_none(o.get("edited_at")), o.get("deleted") is True,
                   tuple(Reaction.from_json(r) for r in reactions if isinstance(r, dict)) if isinstance(reactions, list) else (),
                   o)


@dataclass(frozen=True)
class Room:
    id: int
    kind: str
    name: str
    role: str
    member_count: int
    last_seq: int
    read_seq: int
    unread_count: int
    peer: Optional[int] = None
    last_message: Optional[Message] = None
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, o: dict) -> "Room":
        last = o.get("last_message")
        return cls(o.get("id", 0), o.get("kind", ""), o.get("name", ""), o.get("role", ""),
                   o.get("member_count", 0), o.get("last_seq", 0), o.get("read_seq", 0),
                   o.get("unread_count", 0), _int_or_none(o.get("peer")),
                   Message.from_json(last) if isinstance(last, dict) else None, o)


@dataclass(frozen=True)
class Member:
    user_id: int
    username: str
    display_name: str
    role: str

    @classmethod
    def from_json(cls, o: dict) -> "Member":
        return cls(o.get("user_id", 0), o.get("username", ""), o.get("display_name", ""), o.get("role", ""))


@dataclass(frozen=True)
class Presence:
    user_id: int
    online: bool
    status: str = ""
    last_seen_at: Optional[int] = None

    @classmethod
    def from_json(cls, o: dict) -> "Presence":
        return cls(o.get("user_id", 0), bool(o.get("online", False)), o.get("status", ""),
                   _int_or_none(o.get("last_seen_at")))


@dataclass(frozen=True)
class Update:
    """One entry of the update stream: `type` (message, room, room_removed, receipts, typing,
    presence, connection, transfer_progress, answer, updates_lost) and its JSON in `raw`."""
    type: str
    raw: dict = field(repr=False)

    @property
    def message(self) -> Optional[Message]:
        m = self.raw.get("message")
        return Message.from_json(m) if isinstance(m, dict) else None

    @property
    def room(self) -> Optional[Room]:
        r = self.raw.get("room")
        return Room.from_json(r) if isinstance(r, dict) else None

    @property
    def presence(self) -> Optional[Presence]:
        p = self.raw.get("presence")
        return Presence.from_json(p) if isinstance(p, dict) else None

    @property
    def room_id(self) -> Optional[int]:
        return _int_or_none(self.raw.get("room_id"))

    @property
    def state(self) -> Optional[str]:
        return self.raw.get("state")

    def __repr__(self) -> str:
        return f"Update({self.type!r}, {self.raw!r})"
