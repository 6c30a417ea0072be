#!/usr/bin/env bash
# Installs the SDK into a scratch prefix and builds against it the way apps do, with nothing
# from this source tree: the examples with find_package(Parley); a C-only CMake project; and a
# plain `cc $(pkg-config --cflags --libs parley)`. The C program then runs against a real
# parleyd with the installed libparley.so.
# Usage: find_package_check.sh BUILD_DIR SOURCE_DIR PARLEYD
set -euo pipefail
build_dir=$1
source_dir=$2
parleyd=$3
scratch=$(mktemp -d)
server_pid=""
cleanup() {
  # Waited for: a stopping server still writes its database files, and rm must not race it.
  [ -n "$server_pid" ] && { kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; } || true
  rm -rf "$scratch"
}
trap cleanup EXIT
prefix="$scratch/prefix"
cmake --install "$build_dir" --prefix "$prefix" >/dev/null

libdir=$(dirname "$(find "$prefix" -name 'libparley.so.0' | head -n 1)")
test -L "$libdir/libparley.so"
test -f "$libdir/libparley.so.0.2.0"
# Only the C API leaves the library.
exported=$(nm -D --defined-only "$libdir/libparley.so.0" | awk '{print $3}' | sed 's/@.*//' | grep -v '^PARLEY_0$' || true)
if echo "$exported" | grep -qv '^parley_'; then
  echo "libparley.so exports more than the C API:" >&2
  echo "$exported" | grep -v '^parley_' | head -n 20 >&2
  exit 1
fi

cmake -S "$source_dir/examples" -B "$scratch/examples" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$scratch/examples" -j 2 >/dev/null
test -x "$scratch/examples/parley_example_chat"
test -x "$scratch/examples/parley_example_c"
echo "the examples built against the installed SDK"

# No C++ compiler in this project: CMAKE_CXX_COMPILER set to one that does not exist would
# fail any attempt to use one.
cmake -S "$source_dir/tests/sdk/installed_c" -B "$scratch/c_only" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_COMPILER=/nonexistent/c++ --no-warn-unused-cli >/dev/null
cmake --build "$scratch/c_only" >/dev/null
echo "a C-only CMake project built against the installed SDK"

export PKG_CONFIG_PATH="$libdir/pkgconfig"
test "$(pkg-config --modversion parley)" = 0.2.0
# CFLAGS and LDFLAGS: the sanitizer builds set them, and the program must match the library.
"${CC:-cc}" ${CFLAGS:-} -o "$scratch/round_trip_pc" "$source_dir/tests/sdk/installed_c/round_trip.c" $(pkg-config --cflags --libs parley) ${LDFLAGS:-}
echo "a C program built with pkg-config against the installed SDK"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
server="http://127.0.0.1:$port"
"$parleyd" --host 127.0.0.1 --port "$port" --data-dir "$scratch/server" --password-memory-kib 1024 \
  >"$scratch/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "$server/healthz" >/dev/null && break; sleep 0.1; done

# The programs must load the installed library, not the build tree's.
export LD_LIBRARY_PATH="$libdir"
# Read whole, then searched: `ldd | grep -q` fails now and then under pipefail, as grep's early
# exit can kill ldd with SIGPIPE mid-output.
linked=$(ldd "$scratch/round_trip_pc")
grep -q "$libdir/libparley.so.0" <<<"$linked"
if ! "$scratch/round_trip_pc" "$server" "$scratch/client-pc" pcuser; then
  cat "$scratch/server.log" >&2
  exit 1
fi
if ! "$scratch/c_only/round_trip" "$server" "$scratch/client-cmake" cmakeuser; then
  cat "$scratch/server.log" >&2
  exit 1
fi
echo "the C programs ran against parleyd with the installed libparley.so"
