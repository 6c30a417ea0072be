#!/usr/bin/env bash
# Two people chat through `parley chat` in tmux, as a person would, at 80x24 and at 200x50:
# the room list with unread counts and switching, timestamps, word wrap with continuation lines
# under the text, the line editor's keys as seen in what is sent, an input line longer than the
# screen, /help, /file and /download, PageUp past the top of the history, typing and read marks,
# a message's life (reply, edit, reactions, versions, deletion, a reaction queued offline) and
# search, and each chat's clean exit.
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
start_server() {
  "$parleyd" --host 127.0.0.1 --port "$port" --data-dir "$work/data" --password-memory-kib 1024 >>"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -sf "$server/healthz" >/dev/null && break; sleep 0.1; done
}
# SIGTERM ends parleyd with status 0; anything else is a crash, or a report in a sanitizer build.
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  local status=0
  wait "$server_pid" || status=$?
  server_pid=""
  if [ "$status" -ne 0 ]; then
    echo "FAIL: parleyd exited with status $status on SIGTERM" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
}
start_server

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

# Whether, on a pane's screen, the text of a line matching regex $2 (at fixed text $3) starts in
# the same column as that of another line matching regex $4 (at fixed text $5, plus $6 columns).
# The columns before hold the room list and the divider, the same on both lines.
same_column() {
  local pane=$1 first=$2 first_at=$3 other=$4 other_at=$5 skip=${6:-0} column
  column=$(screen_of "$pane" | awk -v at="$first_at" "/$first/ {print index(\$0, at); exit}")
  [ -n "$column" ] && [ "$column" -gt 0 ] || return 1
  screen_of "$pane" | awk -v at="$other_at" -v c="$column" -v skip="$skip" \
    "/$other/ && index(\$0, at) + skip == c {found = 1} END {exit !found}"
}

# The seq a message shows as its handle ("#42 name: text"), for the commands that take it.
handle_of() {
  local pane=$1 who_and_text=$2
  screen_of "$pane" | grep -F -- "$who_and_text" | sed -n 's/.*#\([0-9][0-9]*\) .*/\1/p' | head -1
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
  wait_for "$bob" "[0-9]{2}:[0-9]{2} #[0-9]+ $alice: line 1\$" -E
  # "HH:MM #SEQ aliceNN: " comes before the text: line 2 starts in the column of line 1's text.
  same_column "$bob" ": line 1\$" "line 1" " line 2\$" "line 2" || fail "$bob" "line 2 not indented under the text"
  screen_of "$bob" | head -1 | grep -qF "Parley - $alice" || fail "$bob" "the header went away"
  keys "$bob" NPage NPage NPage NPage NPage
  wait_for "$bob" "line 60"

  # Timestamps, typing and read marks.
  keys "$alice" "hello from alice" Enter
  wait_for "$bob" "[0-9]{2}:[0-9]{2} #[0-9]+ $alice: hello from alice" -E
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
  same_column "$bob" ": w10 " "w10" "  w[1-7][0-9]" "  w" 2 || fail "$bob" "no continuation line indented under the text"

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
  for _ in $(seq 1 5); do screen_of "$bob" | grep -qF "Ctrl-W" && break; keys "$bob" NPage; sleep 0.2; done
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

  # A message's life: bob replies to alice by the message's handle, she edits it (he may not),
  # both react, the earlier text shows with /versions, and bob deletes his reply after a yes.
  keys "$alice" "lunch at noon?" Enter
  wait_for "$bob" "#[0-9]+ $alice: lunch at noon\?" -E
  local lunch
  lunch=$(handle_of "$bob" "$alice: lunch at noon?")
  [ -n "$lunch" ] || fail "$bob" "the message shows no handle"
  keys "$bob" "/reply $lunch sounds good" Enter
  wait_for "$alice" "$bob: sounds good"
  wait_for "$alice" "↳ me: lunch at noon?"
  wait_for "$bob" "↳ $alice: lunch at noon?"
  keys "$alice" "/edit #$lunch lunch at one?" Enter
  wait_for "$bob" "#$lunch $alice: lunch at one? (edited)"
  wait_for "$bob" "↳ $alice: lunch at one?"
  wait_gone "$bob" "noon"
  keys "$bob" "/edit $lunch not mine" Enter
  wait_for "$bob" "edit of #$lunch refused:"
  wait_gone "$alice" "not mine"
  keys "$bob" "/react $lunch 👍" Enter
  wait_for "$bob" "[👍 1]"
  wait_for "$alice" "👍 1"
  keys "$alice" "/react $lunch 👍" Enter
  keys "$alice" "/react $lunch 🎉" Enter
  wait_for "$alice" "[👍 2]  [🎉 1]"
  wait_for "$bob" "[👍 2]  🎉 1"
  keys "$bob" "/unreact $lunch 👍" Enter
  wait_for "$bob" "👍 1  🎉 1"
  wait_for "$alice" "[👍 1]  [🎉 1]"
  keys "$bob" "/versions $lunch" Enter
  wait_for "$bob" "Earlier versions of #$lunch"
  wait_for "$bob" "v1 [0-9-]+ [0-9:]+ +lunch at noon\?" -E
  keys "$bob" Escape
  wait_gone "$bob" "Earlier versions"
  local answer
  answer=$(handle_of "$bob" "me: sounds good")
  [ -n "$answer" ] || fail "$bob" "the reply shows no handle"
  keys "$bob" "/delete $answer" Enter
  wait_for "$bob" "for everyone? (y/n)"
  keys "$bob" n
  wait_for "$bob" "not deleted"
  keys "$bob" "/delete $answer" Enter
  wait_for "$bob" "for everyone? (y/n)"
  keys "$bob" y
  wait_for "$alice" "#$answer $bob: message deleted"
  wait_gone "$alice" "sounds good"
  wait_gone "$bob" "sounds good"
  wait_for "$alice" "#$lunch me: lunch at one? (edited)"

  # Search: every room, the matched words in bold; Enter opens the result's room, Esc goes back.
  keys "$bob" "/search hello from" Enter
  wait_for "$bob" "1 result for \"hello from\""
  wait_for "$bob" "$alice · $alice · "
  wait_for "$bob" "    hello from alice"
  tmux -S "$socket" capture-pane -p -e -t "$bob" | grep -qE $'\e\\[[0-9;]*1[;m][^ ]*hello' || fail "$bob" "the matched word is not in bold"
  keys "$bob" Escape
  wait_for "$bob" "Parley - $team"
  wait_for "$bob" "$alice: lunch at one?"
  keys "$bob" "/search -here hello" Enter
  wait_for "$bob" "nothing found for \"hello\""
  keys "$bob" "/search lunch" Enter
  wait_for "$bob" "$team · $alice · "
  keys "$bob" "/search hello from" Enter
  wait_for "$bob" "    hello from alice"
  keys "$bob" Enter
  wait_for "$bob" "Parley - $alice"
  wait_for "$bob" "$alice: hello from alice"
  keys "$bob" "/join $team" Enter
  wait_for "$bob" "Parley - $team"

  # Offline, a reaction waits in the outbox and goes when the server is back; search says it
  # needs the server.
  stop_server
  wait_for "$bob" "Parley - $team #[0-9]+ - (offline|connecting)" -E
  keys "$bob" "/react $lunch 🎉" Enter
  wait_for "$bob" "(offline: it goes when the server is back)"
  keys "$bob" "/search lunch" Enter
  wait_for "$bob" "search needs the server"
  start_server
  wait_for "$bob" "👍 1  [🎉 2]"
  wait_for "$alice" "[👍 1]  [🎉 2]"

  # Alt-Up: the room before in the list (the direct room, now that the group is the most recent).
  keys "$bob" M-Up
  wait_for "$bob" "Parley - $alice"

  # More than a page of results (50): Down past the last one fetches the rest.
  local harvest_room
  harvest_room=$(as "$alice" group create "harvest$cols" --member "$bob")
  for i in $(seq 1 55); do as "$alice" send "$harvest_room" "harvest $i" >/dev/null; done
  keys "$bob" "/search harvest" Enter
  wait_for "$bob" "50 results so far for \"harvest\""
  for _ in $(seq 1 40); do screen_of "$bob" | grep -qF '55 results for "harvest"' && break; keys "$bob" NPage; sleep 0.1; done
  wait_for "$bob" "55 results for \"harvest\""
  keys "$bob" Escape
  wait_gone "$bob" "55 results for"

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

stop_server
echo "2 passed, 0 failed"
