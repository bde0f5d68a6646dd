#!/usr/bin/env bash
# Configure and build flowtally. Usage: scripts/build.sh [BUILD_DIR] [cmake args]
# Default: build/release with gcc. Prints the build directory on success.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build/release}
shift || true
cmake -S "$top" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)" >/dev/null
echo "$dir"
