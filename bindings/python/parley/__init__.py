"""Parley's client SDK for Python: a thin, Pythonic layer over libparley's C ABI (ctypes, no
compiled extension). See docs/sdk.md and bindings/python/README.md."""
from .client import Client, version
from .errors import (ConflictError, ForbiddenError, InvalidError, NetworkError, NotFoundError, ParleyError,
                     RateLimitedError, ServerError, UnauthorizedError)
from .logging_bridge import disable_logging, enable_logging
from .models import Attachment, Member, Message, Presence, Reaction, ReplyPreview, Room, Update, User

__all__ = ["Client", "version", "enable_logging", "disable_logging", "ParleyError", "NetworkError",
           "UnauthorizedError", "ForbiddenError", "NotFoundError", "InvalidError", "RateLimitedError",
           "ConflictError", "ServerError", "User", "Room", "Message", "Member", "Presence", "Attachment", "Update",
           "Reaction", "ReplyPreview"]
