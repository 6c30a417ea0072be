#!/usr/bin/env bash
# Two people chat through `parley chat` in tmux, as a person would: what alice types shows on
# bob's screen with her name, bob's screen marks it read, and alice's screen then says read.
# Then a file: alice sends it with `parley send-file`, bob gets the same bytes with `download`.
# Usage: terminal_chat.sh PARLEYD PARLEY
set -euo pipefail
parleyd=$1
parley=$2
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
mkdir -p "$work/alice" "$work/bob"
echo "alice-password" | as alice register alice --password-stdin
echo "bob-password" | as bob register bob --password-stdin
room=$(as alice dm bob)

# Waits (bounded) until a pane shows the text; prints the pane and fails otherwise.
wait_for() {
  local pane=$1 text=$2
  for _ in $(seq 1 150); do
    tmux -S "$socket" capture-pane -p -t "$pane" | grep -qF -- "$text" && return 0
    sleep 0.1
  done
  echo "FAIL: \"$text\" never showed on $pane's screen:" >&2
  tmux -S "$socket" capture-pane -p -t "$pane" >&2
  echo "--- server log" >&2
  cat "$work/server.log" >&2
  exit 1
}

tmux -S "$socket" new-session -d -s alice -x 100 -y 20 "HOME=$work/alice $parley --server $server chat $room"
tmux -S "$socket" new-session -d -s bob -x 100 -y 20 "HOME=$work/bob $parley --server $server chat $room"
wait_for alice "online"
wait_for bob "online"

tmux -S "$socket" send-keys -t alice "hello from alice" Enter
wait_for bob "alice: hello from alice"
wait_for alice "me: hello from alice  (read)"

tmux -S "$socket" send-keys -t bob "typing a reply"
wait_for alice "bob is typing..."
tmux -S "$socket" send-keys -t bob Enter
wait_for alice "bob: typing a reply"

tmux -S "$socket" send-keys -t alice "/quit" Enter
tmux -S "$socket" send-keys -t bob C-d

head -c 150000 /dev/urandom >"$work/report.bin"
as alice send-file "$room" "$work/report.bin" --caption "the report" | grep -qx "sent"
seq_of_file=$(as bob history "$room" | sed -n 's/^alice: \[file #\([0-9]*\)\] report.bin the report$/\1/p')
[ -n "$seq_of_file" ] || { echo "FAIL: the file is not in bob's history" >&2; as bob history "$room" >&2; exit 1; }
as bob download "$room" "$seq_of_file" --output "$work/received.bin" >/dev/null
cmp "$work/report.bin" "$work/received.bin"

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
