"""Finds libparley's shared library and declares the C functions this package calls.

The library is looked up, in order: the path in the PARLEY_LIBRARY environment variable, the
system's linker path (ctypes.util.find_library), then the versioned file name, which the dynamic
loader resolves through LD_LIBRARY_PATH and ldconfig's cache.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os

# The soname this package was written against: a library with another major version has another
# ABI, and is refused rather than called wrongly.
ABI_MAJOR = 0
_SONAME = f"libparley.so.{ABI_MAJOR}"

LOG_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)


class LibraryNotFound(ImportError):
    """libparley could not be loaded: install it, or point PARLEY_LIBRARY at the file."""


def _candidates() -> list[str]:
    named = os.environ.get("PARLEY_LIBRARY")
    if named:
        return [named]
    found = ctypes.util.find_library("parley")
    return [found, _SONAME] if found else [_SONAME]


def _declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    # Strings the library returns are the caller's to free, so they come back as raw pointers
    # (c_void_p), are copied into Python, then handed to parley_string_free.
    lib.parley_version.restype = ctypes.c_char_p
    lib.parley_version.argtypes = []
    lib.parley_set_log_callback.restype = None
    lib.parley_set_log_callback.argtypes = [LOG_CALLBACK, ctypes.c_int, ctypes.c_void_p]
    lib.parley_client_open.restype = ctypes.c_void_p
    lib.parley_client_open.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.parley_client_send.restype = ctypes.c_int
    lib.parley_client_send.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.parley_client_execute.restype = ctypes.c_void_p
    lib.parley_client_execute.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.parley_client_receive.restype = ctypes.c_void_p
    lib.parley_client_receive.argtypes = [ctypes.c_void_p, ctypes.c_double]
    lib.parley_string_free.restype = None
    lib.parley_string_free.argtypes = [ctypes.c_void_p]
    lib.parley_client_close.restype = None
    lib.parley_client_close.argtypes = [ctypes.c_void_p]
    return lib


def load() -> ctypes.CDLL:
    errors = []
    for name in _candidates():
        try:
            lib = _declare(ctypes.CDLL(name))
        except (OSError, AttributeError) as e:
            errors.append(f"{name}: {e}")
            continue
        version = lib.parley_version().decode()
        if int(version.split(".")[0]) != ABI_MAJOR:
            errors.append(f"{name}: version {version}, this package needs {ABI_MAJOR}.x")
            continue
        return lib
    raise LibraryNotFound("libparley was not found (" + "; ".join(errors) + ")")


def take_string(lib: ctypes.CDLL, pointer: int | None) -> str | None:
    """Copies a string the library returned, then frees the library's copy."""
    if not pointer:
        return None
    try:
        return ctypes.string_at(pointer).decode("utf-8")
    finally:
        lib.parley_string_free(pointer)
