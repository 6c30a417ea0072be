#!/usr/bin/env bash
# Installs the SDK into a scratch prefix and builds the examples against it the way an app
# would: find_package(Parley) and nothing from this source tree.
set -euo pipefail
build_dir=$1
source_dir=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build_dir" --prefix "$scratch/prefix" >/dev/null
cmake -S "$source_dir/examples" -B "$scratch/build" -DCMAKE_PREFIX_PATH="$scratch/prefix" >/dev/null
cmake --build "$scratch/build" -j 2 >/dev/null
test -x "$scratch/build/parley_example_chat"
test -x "$scratch/build/parley_example_c"
echo "the examples built against the installed SDK"
