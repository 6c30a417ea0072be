"""The Python package against a real parleyd, through the shared library's C ABI."""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

import parley
from helpers import WAIT_SECONDS, signed_in, wait_until


def test_the_library_reports_its_version():
    major, minor, patch = parley.version().split(".")
    assert (int(major), int(minor), int(patch)) >= (0, 2, 0)


def test_a_message_sent_by_one_user_arrives_for_the_other(server, tmp_path):
    with signed_in(server, tmp_path / "alice", "alice") as alice, \
         signed_in(server, tmp_path / "bob", "bob") as bob:
        room = alice.direct_room("bob")
        assert room.kind == "direct"
        sent = alice.send_text(room, "hello from python")
        assert sent.state == "pending" and sent.seq == 0

        arrived = []
        for update in bob.updates(timeout=WAIT_SECONDS):
            if update.type == "message" and update.message.text == "hello from python":
                arrived.append(update.message)
                break
        assert arrived, "bob's update stream never carried the message"
        assert arrived[0].sender_id == alice.me().id
        assert [m.text for m in bob.messages(room.id)] == ["hello from python"]

        assert alice.wait_outbox_empty(WAIT_SECONDS)
        mine = alice.messages(room)
        assert [m.text for m in mine] == ["hello from python"]
        assert mine[0].seq == 1 and mine[0].state in ("sent", "delivered", "read")


def test_errors_are_exceptions_carrying_the_code(server, tmp_path):
    with parley.Client(server.url, tmp_path / "eve") as eve:
        eve.register("eve", "correct horse battery")
        with pytest.raises(parley.UnauthorizedError) as refused:
            eve.login("eve", "wrong password")
        assert refused.value.code == "invalid_credentials"
        with pytest.raises(parley.InvalidError) as invalid:
            eve.execute("send_text", text="no room given")
        assert invalid.value.code == "invalid_payload"
        assert "room_id" in invalid.value.message
        with pytest.raises(parley.ParleyError) as unknown:
            eve.execute("no_such_request")
        assert unknown.value.code == "unknown_op"


def test_handlers_run_on_the_dispatching_thread(server, tmp_path):
    with signed_in(server, tmp_path / "alice", "alice") as alice, \
         signed_in(server, tmp_path / "bob", "bob") as bob:
        seen = threading.Event()
        texts = []

        def on_message(update):
            texts.append(update.message.text)
            if update.message.text == "ping":
                seen.set()

        bob.on("message", on_message)
        bob.start_dispatching()
        alice.send_text(alice.direct_room("bob"), "ping")
        assert seen.wait(WAIT_SECONDS)
        assert "ping" in texts


def test_an_asynchronous_request_is_answered_with_the_callers_id(server, tmp_path):
    with signed_in(server, tmp_path / "alice", "alice") as alice, \
         signed_in(server, tmp_path / "bob", "bob"):
        alice.send_request("find_user", extra={"screen": "search", "n": 7}, username="bob")
        alice.send_request("find_user", extra="second", username="nobody-by-that-name")
        answers = []
        for update in alice.updates(timeout=WAIT_SECONDS):
            if update.type == "answer":
                answers.append(update.raw)
                if len(answers) == 2:
                    break
        by_extra = lambda extra: next(a for a in answers if a["@extra"] == extra)  # noqa: E731
        found = by_extra({"screen": "search", "n": 7})
        assert found["ok"] is True and found["data"]["username"] == "bob"
        missing = by_extra("second")
        assert missing["ok"] is False and missing["error"]["code"] == "not_found"


def test_the_offline_outbox_survives_a_process_restart(server, tmp_path):
    bob = signed_in(server, tmp_path / "bob", "bob")
    with signed_in(server, tmp_path / "alice", "alice") as alice:
        room = alice.direct_room("bob")
        alice.disconnect()
    server.stop()

    # Another process writes while the server is down, and exits before anything is sent.
    writer = Path(__file__).with_name("outbox_writer.py")
    subprocess.run([sys.executable, str(writer), server.url, str(tmp_path / "alice"), str(room.id), "5"],
                   check=True, timeout=120)

    with parley.Client(server.url, tmp_path / "alice") as alice:
        waiting = alice.messages(room)
        assert [m.text for m in waiting] == [f"offline {i}" for i in range(1, 6)]
        assert all(m.state == "pending" for m in waiting)
        server.start()
        alice.connect()
        assert alice.wait_online(WAIT_SECONDS)
        assert alice.wait_outbox_empty(WAIT_SECONDS)
        assert [m.seq for m in alice.messages(room)] == [1, 2, 3, 4, 5]

    with bob:
        assert wait_until(bob, lambda: len(bob.messages(room)) >= 5)
        assert [m.text for m in bob.messages(room)] == [f"offline {i}" for i in range(1, 6)]


def test_a_failed_send_is_retried_and_another_discarded(server, tmp_path):
    # The server takes uploads of at most 1 KiB: two files of 4 KiB are refused for good, each
    # message ends failed with the server's code, and the outbox goes on to the text after them.
    server.stop()
    server.extra_flags = ["--max-upload-bytes", "1024"]
    server.start()
    photo = tmp_path / "photo.bin"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(4096))
    with signed_in(server, tmp_path / "alice", "alice") as alice, \
         signed_in(server, tmp_path / "bob", "bob") as bob:
        room = alice.direct_room("bob")
        first = alice.send_file(room, photo, message_type="file", mime_type="application/octet-stream")
        second = alice.send_file(room, photo, message_type="file", mime_type="application/octet-stream")
        after = alice.send_text(room, "sent after the refused files")
        assert alice.wait_outbox_empty(WAIT_SECONDS)
        states = {m.client_msg_id: m for m in alice.messages(room)}
        assert states[first.client_msg_id].state == "failed"
        assert states[first.client_msg_id].failure_code == "payload_too_large"
        assert states[second.client_msg_id].state == "failed"
        assert states[after.client_msg_id].seq == 1

        # The operator raises the limit: the first is retried and goes; the second is discarded.
        alice.disconnect()
        server.stop()
        server.extra_flags = []
        server.start()
        alice.connect()
        assert alice.wait_online(WAIT_SECONDS)
        alice.retry(first)
        alice.discard(second)
        assert alice.wait_outbox_empty(WAIT_SECONDS)
        mine = alice.messages(room)
        assert [(m.client_msg_id, m.seq) for m in mine] == [(after.client_msg_id, 1), (first.client_msg_id, 2)]
        assert mine[1].attachment is not None and mine[1].attachment.size == photo.stat().st_size
        with pytest.raises(parley.ParleyError):
            alice.retry(second)  # discarded: gone

        assert wait_until(bob, lambda: len(bob.messages(room)) >= 2)
        assert [m.type for m in bob.messages(room)] == ["text", "file"]


def test_the_echo_bot_answers(server, tmp_path):
    bot_script = Path(__file__).resolve().parents[3] / "examples" / "python" / "echo_bot.py"
    bot = subprocess.Popen([sys.executable, str(bot_script), server.url, str(tmp_path / "bot"), "echo",
                            "correct horse battery", "--replies", "1"],
                           stdout=subprocess.PIPE, text=True)
    try:
        assert "is listening" in bot.stdout.readline()
        with signed_in(server, tmp_path / "alice", "alice") as alice:
            room = alice.direct_room("echo")
            alice.send_text(room, "marco")
            assert wait_until(alice, lambda: [m.text for m in alice.messages(room)] == ["marco", "marco"])
            senders = [m.sender_id for m in alice.messages(room)]
            assert senders[0] == alice.me().id and senders[1] != alice.me().id
        assert bot.wait(timeout=WAIT_SECONDS) == 0
    finally:
        if bot.poll() is None:
            bot.kill()


def test_a_messages_life_edits_reactions_replies_and_deletion(server, tmp_path):
    with signed_in(server, tmp_path / "alice", "alice") as alice, \
         signed_in(server, tmp_path / "bob", "bob") as bob:
        room = alice.direct_room("bob")
        alice.disconnect()
        draft = alice.send_text(room, "Lunch at noon?")
        edit = alice.edit(draft, "Lunch at one?")  # the original is still pending: named by its id
        assert edit.type == "edit" and edit.state == "pending"
        alice.connect()
        assert alice.wait_online(WAIT_SECONDS) and alice.wait_outbox_empty(WAIT_SECONDS)
        [sent] = alice.messages(room)
        assert sent.text == "Lunch at one?" and sent.edited_at is not None
        assert alice.versions(room, sent.seq) == ["Lunch at noon?"]

        def bobs() -> list:
            return bob.messages(room.id)

        assert wait_until(bob, lambda: [m.text for m in bobs()] == ["Lunch at one?"])
        bob.react(bobs()[0], "👍")
        bob.reply(bobs()[0], "Yes!")
        assert bob.wait_outbox_empty(WAIT_SECONDS)
        assert wait_until(alice, lambda: len(alice.messages(room)) == 2 and alice.messages(room)[0].reactions)
        original, answer = alice.messages(room)
        assert original.reactions == (parley.Reaction("👍", 1, False),)
        assert answer.reply_to == sent.seq and answer.reply_preview.text == "Lunch at one?"
        assert alice.reactions(room, sent.seq) == {"👍": [bob.me().id]}

        alice.delete(original)
        assert wait_until(bob, lambda: bobs()[0].deleted)
        gone, reply = bobs()
        assert gone.text == "" and gone.reactions == ()
        assert reply.reply_preview.deleted
