"""Small things the tests share: signing a user in, waiting on the update stream."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import parley

# Bounds for a failure, not measures: a wait that passes them means something never arrived.
WAIT_SECONDS = 60.0


def signed_in(server, directory: Path, username: str, *, register: bool = True) -> parley.Client:
    client = parley.Client(server.url, directory)
    if register:
        client.register(username, "correct horse battery", username.title())
    else:
        client.login(username, "correct horse battery")
    client.connect()
    assert client.wait_online(WAIT_SECONDS)
    return client


def wait_until(client: parley.Client, done: Callable[[], bool]) -> bool:
    """Takes updates from the stream until `done()` holds (checked before each), or the stream
    stays quiet for WAIT_SECONDS."""
    while not done():
        if client.receive(WAIT_SECONDS) is None:
            return done()
    return True
