#!/bin/sh
# Runs npm on the project's own Node.js: the version package.json pins as its "node" dependency, from the npm
# registry (that package fetches the matching node-<os>-<arch> binary package). Any Node.js >= 20 with npm starts it.
#
# Why: npm checks each package's "engines" against the Node.js npm itself runs on. On a machine whose node is 20,
# `npm ci` would warn EBADENGINE for every package that needs 22 or 24, though the project then runs them all on
# its own 24 (npm scripts put node_modules/.bin, where that node is, first on PATH). Run through here, npm checks
# them against the Node.js that will run them.
#
#   sh scripts/node/npm.sh ci             what `npm run setup` does
#   sh scripts/node/npm.sh install <pkg>  add a dependency
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(node -p 'require(process.argv[1]).dependencies.node' "$root/package.json")
case "$version" in
  [0-9]*.[0-9]*.[0-9]*) ;;
  *) echo "[node] package.json must pin an exact \"node\" dependency, not '$version'" >&2; exit 1 ;;
esac
# Outside node_modules, which `npm ci` removes while this npm runs.
dir="$root/.cache/node-$version"
bin="$dir/node_modules/node/bin/node"
if ! [ -x "$bin" ] || [ "$("$bin" --version 2>/dev/null)" != "v$version" ]; then
  echo "[node] fetching Node.js $version from the npm registry (once)"
  rm -rf "$dir" && mkdir -p "$dir"
  printf '{ "private": true, "allowScripts": { "node": true } }\n' > "$dir/package.json"
  (cd "$dir" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node@$version")
  [ "$("$bin" --version)" = "v$version" ] || { echo "[node] Node.js $version did not install" >&2; exit 1; }
fi
npm_cli=${npm_execpath:-}
case "$npm_cli" in
  *npm-cli.js) ;;
  *) npm_cli="$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js" ;;
esac
exec "$bin" "$npm_cli" "$@"
