#!/usr/bin/env python3
"""An echo bot: signs in (registering on first run), then answers every text message it gets,
in any room it is in, with the same text. Its database in DATA_DIR keeps it signed in and keeps
what it has not sent yet across restarts.

    PARLEY_LIBRARY=/usr/local/lib/libparley.so.0 \\
    python3 echo_bot.py http://127.0.0.1:8080 echo-bot-data echo "bot's password"

Stop it with Ctrl-C; with --replies N it stops by itself after N answers.
"""
import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bindings" / "python"))
import parley  # noqa: E402


def sign_in(bot: parley.Client, username: str, password: str) -> parley.User:
    if bot.me() is not None:
        return bot.me()
    try:
        return bot.login(username, password)
    except parley.UnauthorizedError:
        return bot.register(username, password, "Echo")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("server")
    parser.add_argument("data_dir")
    parser.add_argument("username")
    parser.add_argument("password")
    parser.add_argument("--replies", type=int, default=0, help="stop after this many answers (0: never)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    parley.enable_logging(logging.WARNING)

    with parley.Client(args.server, args.data_dir) as bot:
        me = sign_in(bot, args.username, args.password)
        bot.connect()
        print(f"echo bot {me.username} (id {me.id}) is listening", flush=True)
        answered = 0
        # A message's update comes again when its state changes (delivered, read): answer once.
        seen: set[tuple[int, int]] = set()
        try:
            for update in bot.updates():
                message = update.message if update.type == "message" else None
                # Only others' new text messages: not our own echoes, not state changes of old ones.
                if message is None or message.sender_id == me.id or message.type != "text" or message.seq == 0:
                    continue
                if (message.room_id, message.seq) in seen:
                    continue
                seen.add((message.room_id, message.seq))
                bot.send_text(message.room_id, message.text)
                bot.mark_read(message.room_id, message.seq)
                answered += 1
                if args.replies and answered >= args.replies:
                    break
        except KeyboardInterrupt:
            pass
        bot.wait_outbox_empty(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
