#!/usr/bin/env bash
# Builds a Node base image for the DockPulse Dockerfiles without any registry, from this machine's
# own files: its `node` and `npm`, the shared libraries they (and the build's native npm packages)
# link against, its CA bundle (trusted by Node and npm), a static busybox for `sh` in RUN steps, and a non-root user `node`
# (uid 1000, as in the official node images). Then `docker import`.
#
#   deploy/base-image/build.sh [TAG]      default TAG: local/dockpulse-node:20
#
# The docker CLI talks to whatever DOCKER_HOST names. On a machine that can pull, skip this and
# build with --build-arg BASE_IMAGE=node:20-bookworm-slim (the Dockerfiles' default) instead.
set -euo pipefail

TAG=${1:-local/dockpulse-node:20}
NODE=$(readlink -f "$(command -v node)")
NPM_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
BUSYBOX=$(command -v busybox || true)
[ -n "$BUSYBOX" ] && ! ldd "$BUSYBOX" >/dev/null 2>&1 || { echo "needs a static busybox (apt-get install busybox-static)" >&2; exit 1; }
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
[ -f "$CA_BUNDLE" ] || { echo "no $CA_BUNDLE (apt-get install ca-certificates)" >&2; exit 1; }

ROOT=$(mktemp -d "${TMPDIR:-/tmp}/dockpulse-base-XXXXXX")
trap 'rm -rf "$ROOT" "$ROOT.tar"' EXIT

mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,usr/local/lib/node_modules,etc/ssl/certs,tmp,root,home/node,proc,sys,dev}
chmod 1777 "$ROOT/tmp"
chown 1000:1000 "$ROOT/home/node"

cp "$NODE" "$ROOT/usr/local/bin/node"
cp -a "$NPM_DIR" "$ROOT/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"

# node links only glibc and libstdc++; librt is what the build's native packages (rolldown, lightningcss) add.
libs=$(ldd "$NODE" | grep -o '/[^ ]*' ; ls /lib/x86_64-linux-gnu/librt.so.1 /usr/lib/x86_64-linux-gnu/librt.so.1 2>/dev/null || true)
for lib in $libs; do
  mkdir -p "$ROOT$(dirname "$lib")"
  cp -L "$lib" "$ROOT$lib"
done

cp "$BUSYBOX" "$ROOT/bin/busybox"
for applet in $("$BUSYBOX" --list-full); do
  [ -e "$ROOT/$applet" ] || ln -s /bin/busybox "$ROOT/$applet"
done

cp "$CA_BUNDLE" "$ROOT/etc/ssl/certs/ca-certificates.crt"
cat >"$ROOT/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
node:x:1000:1000:node:/home/node:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$ROOT/etc/group" <<'GROUP'
root:x:0:
node:x:1000:
nogroup:x:65534:
GROUP
echo 'hosts: files dns' >"$ROOT/etc/nsswitch.conf"
# Node and npm trust the machine's CA bundle (which may hold a site's own CAs, e.g. of an egress proxy).
mkdir -p "$ROOT/usr/local/etc"
echo 'cafile=/etc/ssl/certs/ca-certificates.crt' >"$ROOT/usr/local/etc/npmrc"

# The same files give the same tar, and an image that already holds it is kept: a new image id
# would invalidate every cached layer built on it.
tar -C "$ROOT" -c --sort=name --mtime=@0 --numeric-owner -f "$ROOT.tar" .
SUM=$(sha256sum "$ROOT.tar" | cut -c1-64)
rm -rf "$ROOT"
if [ "$(docker image inspect -f '{{index .Config.Labels "dockpulse.base.sha256"}}' "$TAG" 2>/dev/null)" = "$SUM" ]; then
  rm -f "$ROOT.tar"
  echo "$TAG: up to date"
  exit 0
fi
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change "LABEL dockpulse.base.sha256=$SUM" \
  --change 'CMD ["node"]' \
  "$ROOT.tar" "$TAG" >/dev/null
rm -f "$ROOT.tar"
echo "$TAG: node $("$NODE" --version), npm $(node "$NPM_DIR/bin/npm-cli.js" --version)"
