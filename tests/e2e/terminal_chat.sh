#!/usr/bin/env bash
# Two people chat through `parley chat` in tmux, as a person would, at 80x24 and at 200x50:
# the room list with unread counts and switching, timestamps, word wrap with continuation lines
# under the text, the line editor's keys as seen in what is sent, an input line longer than the
# screen, /help, /file and /download, PageUp past the top of the history, typing and read marks,
# and each chat's clean exit.
# Usage: terminal_chat.sh PARLEYD PARLEY
set -euo pipefail
parleyd=$1
parley=$2
export LANG=C.UTF-8 LC_ALL=C.UTF-8  # tmux and the chat in UTF-8, whatever the caller runs in
work=$(mktemp -d)
socket="$work/tmux.sock"
server_pid=""
cleanup() {
  tmux -S "$socket" kill-server 2>/dev/null || true
  # Waited for: a stopping server still writes its database files, and rm must not race it.
  [ -n "$server_pid" ] && { kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; } || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
server="http://127.0.0.1:$port"
"$parleyd" --host 127.0.0.1 --port "$port" --data-dir "$work/data" --password-memory-kib 1024 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "$server/healthz" >/dev/null && break; sleep 0.1; done

as() { local who=$1; shift; HOME="$work/$who" "$parley" --server "$server" "$@"; }
keys() { tmux -S "$socket" send-keys -t "$@"; }
screen_of() { tmux -S "$socket" capture-pane -p -t "$1"; }

fail() {
  local pane=$1 what=$2
  echo "FAIL ($size): $what; $pane's screen:" >&2
  screen_of "$pane" >&2
  echo "--- server log" >&2
  cat "$work/server.log" >&2
  exit 1
}

# Waits (bounded) until a pane shows the text (grep -E with -e, fixed text otherwise).
wait_for() {
  local pane=$1 text=$2 how=${3:--F}
  for _ in $(seq 1 150); do
    screen_of "$pane" | grep -q $how -- "$text" && return 0
    sleep 0.1
  done
  fail "$pane" "\"$text\" never showed"
}
wait_gone() {
  local pane=$1 text=$2
  for _ in $(seq 1 150); do
    screen_of "$pane" | grep -qF -- "$text" || return 0
    sleep 0.1
  done
  fail "$pane" "\"$text\" stayed"
}

head -c 150000 /dev/urandom >"$work/report.bin"

# One conversation at one terminal size, with users and rooms of its own.
converse() {
  size=$1
  local cols=${size%x*} rows=${size#*x}
  local alice="alice$cols" bob="bob$cols" team="team$cols"
  mkdir -p "$work/$alice" "$work/$bob"
  echo "alice-password" | as "$alice" register "$alice" --password-stdin >/dev/null
  echo "bob-password" | as "$bob" register "$bob" --password-stdin >/dev/null
  local dm team_room
  dm=$(as "$alice" dm "$bob")
  team_room=$(as "$alice" group create "$team" --member "$bob")
  # A message of 60 lines: more than a screen at either size, for PageUp to reach its top.
  as "$alice" send "$dm" "$(seq -f 'line %g' 1 60)" >/dev/null

  local chat="env LANG=C.UTF-8 LC_ALL=C.UTF-8 $parley --server $server chat $dm"
  # Each chat's exit status is kept: a crash (or a sanitizer's report) fails the test.
  local who
  for who in "$alice" "$bob"; do
    tmux -S "$socket" -u new-session -d -s "$who" -x "$cols" -y "$rows" "HOME=$work/$who $chat; echo \$? >$work/$who.exit"
  done
  wait_for "$alice" "online"
  wait_for "$bob" "online"

  # The room list: both rooms, the open one marked.
  wait_for "$bob" "> $alice"
  wait_for "$bob" "$team"

  # PageUp past the top stops at the first line, under the header; each paragraph of the
  # message after the first is indented under the text, not at column 0.
  keys "$bob" PPage PPage PPage PPage PPage
  wait_for "$bob" "[0-9]{2}:[0-9]{2} $alice: line 1\$" -E
  # "HH:MM aliceNN: " is the text's column; the divider or a room's name comes before the indent.
  local indent=$((6 + ${#alice} + 2))
  screen_of "$bob" | grep -qE "[^ ] {$indent}line 2\$" || fail "$bob" "line 2 not indented under the text"
  screen_of "$bob" | head -1 | grep -qF "Parley - $alice" || fail "$bob" "the header went away"
  keys "$bob" NPage NPage NPage NPage NPage
  wait_for "$bob" "line 60"

  # Timestamps, typing and read marks.
  keys "$alice" "hello from alice" Enter
  wait_for "$bob" "[0-9]{2}:[0-9]{2} $alice: hello from alice" -E
  wait_for "$alice" "me: hello from alice  (read)"
  # A reply longer than the input line: it scrolls sideways there, and the header stays.
  keys "$bob" "typing a reply $(printf 'and%.0s ' $(seq 1 60))TAIL"
  wait_for "$alice" "$bob is typing..."
  wait_for "$bob" "and TAIL"
  screen_of "$bob" | head -1 | grep -qF "Parley - $alice" || fail "$bob" "a long input line moved the header"
  keys "$bob" Enter
  wait_for "$alice" "$bob: typing a reply"

  # The line editor: Backspace after "é" takes the whole character; Ctrl-U, Home, End, Ctrl-W.
  keys "$alice" "café" BSpace "e" Enter
  wait_for "$bob" "$alice: cafe"
  keys "$alice" "garbage" C-u "world" Home "hello " End " one two" C-w "three" Enter
  wait_for "$bob" "$alice: hello world one three"
  keys "$alice" "one three" M-b "two " Left Left Left Left BSpace Right Right Right "X" Enter
  wait_for "$bob" "$alice: onetwoX three"
  keys "$alice" "typed twice" Enter Up Enter
  for _ in $(seq 1 150); do [ "$(screen_of "$bob" | grep -c "$alice: typed twice")" -eq 2 ] && break; sleep 0.1; done
  [ "$(screen_of "$bob" | grep -c "$alice: typed twice")" -eq 2 ] || fail "$bob" "Up did not bring back the line sent"

  # A message longer than the line wraps: every word shows, continuation lines under the text.
  local long="" i
  for i in $(seq 10 79); do long+="w$i "; done
  keys "$alice" "${long}END-OF-LONG" Enter
  wait_for "$bob" "END-OF-LONG"
  for i in $(seq 10 79); do screen_of "$bob" | grep -qw "w$i" || fail "$bob" "w$i of the long message is cut off"; done
  screen_of "$bob" | grep -qE "[^ ] {$indent}w[1-7][0-9]( |\$)" || fail "$bob" "no continuation line indented under the text"

  # Another room: an unread count in bob's list, then switching to it clears it.
  keys "$alice" "/join $team" Enter
  wait_for "$alice" "Parley - $team"
  keys "$alice" "team news" Enter
  wait_for "$bob" "$team (1)"
  keys "$bob" C-n
  wait_for "$bob" "Parley - $team"
  wait_for "$bob" "$alice: team news"
  wait_gone "$bob" "(1)"

  # /help lists the commands and keys (PageDown for the rest on a short screen); Esc closes it.
  keys "$bob" "/help" Enter
  wait_for "$bob" "/file PATH [CAPTION]"
  keys "$bob" NPage
  wait_for "$bob" "Ctrl-W"
  keys "$bob" Escape
  wait_for "$bob" "$alice: team news"

  # /file from the chat; bob sees it and saves it with /download.
  keys "$alice" "/file $work/report.bin the report" Enter
  wait_for "$bob" "report.bin the report"
  local seq_of_file
  seq_of_file=$(screen_of "$bob" | sed -n 's/.*\[file #\([0-9]*\)\] report\.bin the report.*/\1/p' | head -1)
  [ -n "$seq_of_file" ] || fail "$bob" "the file has no number yet"
  keys "$bob" "/download $seq_of_file $work/received$cols.bin" Enter
  wait_for "$bob" "saved"
  cmp "$work/report.bin" "$work/received$cols.bin"

  # Alt-Up: the room before in the list (the direct room, now that the group is the most recent).
  keys "$bob" M-Up
  wait_for "$bob" "Parley - $alice"

  keys "$alice" "/quit" Enter
  keys "$bob" C-d
  for who in "$alice" "$bob"; do
    for _ in $(seq 1 100); do [ -s "$work/$who.exit" ] && break; sleep 0.1; done
    [ "$(cat "$work/$who.exit" 2>/dev/null)" = 0 ] || { echo "FAIL ($size): $who's chat exited with '$(cat "$work/$who.exit" 2>/dev/null)'" >&2; exit 1; }
  done

  # The command line sees the same file.
  as "$bob" download "$team_room" "$seq_of_file" --output "$work/cli$cols.bin" >/dev/null
  cmp "$work/report.bin" "$work/cli$cols.bin"
}

converse 80x24
converse 200x50

# SIGTERM ends parleyd with status 0; anything else is a crash, or a report in a sanitizer build.
kill "$server_pid" 2>/dev/null || true
status=0
wait "$server_pid" || status=$?
server_pid=""
if [ "$status" -ne 0 ]; then
  echo "FAIL: parleyd exited with status $status on SIGTERM" >&2
  cat "$work/server.log" >&2
  exit 1
fi
echo "2 passed, 0 failed"
