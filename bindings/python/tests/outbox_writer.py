"""Writes N text messages into a signed-in client's outbox while the server is down, and exits:
the messages must go out from another process, later (test_client.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import parley  # noqa: E402

server, data_dir, room_id, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with parley.Client(server, data_dir) as client:
    for i in range(1, count + 1):
        message = client.send_text(room_id, f"offline {i}")
        assert message.state == "pending", message
