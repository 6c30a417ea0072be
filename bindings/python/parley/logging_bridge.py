"""Sends libparley's log lines to Python's logging, under the logger "parley"."""
from __future__ import annotations

import atexit
import logging
from typing import Optional

from . import _library
from .client import _lib

_LEVELS = {0: logging.ERROR, 1: logging.WARNING, 2: logging.INFO, 3: logging.DEBUG}
_logger = logging.getLogger("parley")
# The C side keeps only a pointer: the callback object must live as long as it is installed.
_installed: Optional[object] = None


def _forward(level: int, message: bytes, _user_data: object) -> None:
    _logger.log(_LEVELS.get(level, logging.DEBUG), "%s", message.decode("utf-8", "replace"))


def enable_logging(level: int = logging.INFO) -> None:
    """Forwards the library's log lines at `level` and above to the "parley" logger."""
    global _installed
    native = 0 if level >= logging.ERROR else 1 if level >= logging.WARNING else 2 if level >= logging.INFO else 3
    callback = _library.LOG_CALLBACK(_forward)
    _lib.parley_set_log_callback(callback, native, None)
    _installed = callback


def disable_logging() -> None:
    global _installed
    _lib.parley_set_log_callback(_library.LOG_CALLBACK(), 0, None)
    _installed = None


# The library's threads may outlive the interpreter's teardown; they must not call into it then.
atexit.register(disable_logging)
