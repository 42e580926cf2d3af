#!/usr/bin/env bash
# Real container engines for the agent's real-engine suite (packages/agent/test/dockpulse-agent-engines.e2e-spec.ts).
#
#   .ci/engines.sh start DIR   private dockerd (and Podman where it runs) under DIR, image local/busybox
#                              in each; writes DIR/env with the variables the tests read
#   .ci/engines.sh stop DIR    stops exactly the daemons that `start DIR` started (by their pid files)
#
# Nothing here touches a system-wide daemon: each engine has its own data root, exec root and socket,
# no iptables rules and no bridge (containers run with --network host), and no registry is needed.
# Needs root (dockerd, runc). Packages docker.io, busybox-static (and podman, runc) are installed with
# apt-get when missing and ENGINES_INSTALL is not 0.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
ACTION=$1
DIR=$2

log() { echo "engines: $*" >&2; }

stop_pidfile() {
  local file=$1 pid
  [ -s "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

stop_all() {
  # Containers first: their shims would otherwise outlive the daemon.
  if [ -S "$DIR/docker/docker.sock" ]; then
    ids=$(docker -H "unix://$DIR/docker/docker.sock" ps -aq 2>/dev/null || true)
    [ -z "$ids" ] || docker -H "unix://$DIR/docker/docker.sock" rm -f $ids >/dev/null 2>&1 || true
  fi
  if [ -S "$DIR/podman/podman.sock" ]; then
    CONTAINERS_CONF="$DIR/podman/containers.conf" podman --root "$DIR/podman/storage" --runroot "$DIR/podman/run" rm -af -t 0 >/dev/null 2>&1 || true
  fi
  stop_pidfile "$DIR/podman/service.pid"
  stop_pidfile "$DIR/docker/dockerd.pid"
  # The daemons' own mounts (overlay, shm) under DIR, if any were left behind.
  grep -o " $DIR/[^ ]*" /proc/self/mounts 2>/dev/null | sort -r | while read -r mnt; do umount -l "$mnt" 2>/dev/null || true; done
}

install_missing() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  [ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || missing+=(busybox-static)
  if [ "${ENGINES_PODMAN:-1}" != 0 ]; then
    command -v podman >/dev/null || missing+=(podman)
    command -v runc >/dev/null || missing+=(runc)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "${ENGINES_INSTALL:-1}" = 0 ]; then log "missing ${missing[*]} (not installing: ENGINES_INSTALL=0)"; return 0; fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >&2
}

# A 2 MB image of Debian's static busybox: /bin/busybox plus one link per applet.
busybox_rootfs() {
  local out=$1 bb
  bb=$(command -v busybox)
  [ -f "$out" ] && return 0
  local root
  root=$(mktemp -d "$DIR/rootfs.XXXXXX")
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev"
  cp "$bb" "$root/bin/busybox"
  for applet in $("$bb" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  tar -C "$root" -cf "$out" .
  rm -rf "$root"
}

wait_for() { # what, command...
  local what=$1; shift
  for _ in $(seq 1 300); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  log "timed out waiting for $what"
  return 1
}

start_docker() {
  local d="$DIR/docker"
  mkdir -p "$d"
  setsid dockerd --data-root "$d/data" --exec-root "$d/exec" -H "unix://$d/docker.sock" --pidfile "$d/dockerd.pid" \
    --iptables=false --ip6tables=false --bridge=none >"$d/dockerd.log" 2>&1 </dev/null &
  wait_for "dockerd (see $d/dockerd.log)" docker -H "unix://$d/docker.sock" version || { tail -20 "$d/dockerd.log" >&2; return 1; }
  docker -H "unix://$d/docker.sock" import "$DIR/busybox.tar" local/busybox >/dev/null
  echo "export DOCKPULSE_TEST_DOCKER_HOST=unix://$d/docker.sock" >>"$DIR/env"
  log "Docker $(docker -H "unix://$d/docker.sock" version -f '{{.Server.Version}}') at unix://$d/docker.sock"
}

start_podman() {
  local p="$DIR/podman"
  mkdir -p "$p"
  # crun cannot run here (no CAP_SYS_RESOURCE, hybrid cgroups): runc, file events, cgroupfs.
  cat >"$p/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
events_logger = "file"
cgroup_manager = "cgroupfs"
EOF
  local podman=(podman --root "$p/storage" --runroot "$p/run" --tmpdir "$p/tmp")
  export CONTAINERS_CONF="$p/containers.conf"
  "${podman[@]}" import -q "$DIR/busybox.tar" local/busybox >/dev/null 2>"$p/import.log" || { log "podman import failed: $(tail -3 "$p/import.log")"; return 1; }
  setsid "${podman[@]}" system service --time=0 "unix://$p/podman.sock" >"$p/service.log" 2>&1 </dev/null &
  echo $! >"$p/service.pid"
  wait_for "podman system service (see $p/service.log)" curl -sf --unix-socket "$p/podman.sock" http://d/_ping || return 1
  # A container that really runs is the only proof the runtime works here.
  if ! "${podman[@]}" run --rm --network host local/busybox true >"$p/probe.log" 2>&1; then
    log "Podman cannot run a container here: $(tail -3 "$p/probe.log")"
    return 1
  fi
  {
    echo "export DOCKPULSE_TEST_PODMAN_HOST=unix://$p/podman.sock"
    echo "export CONTAINERS_CONF=$p/containers.conf"
  } >>"$DIR/env"
  log "Podman $(podman --version | awk '{print $3}') at unix://$p/podman.sock"
}

case "$ACTION" in
  start)
    [ "$(id -u)" = 0 ] || { log "needs root to run dockerd; not starting engines"; exit 1; }
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    # Traversable like /var/run: the sockets' own modes (0660 root:docker, 0600) are what guard them.
    chmod 755 "$DIR"
    : >"$DIR/env"
    install_missing
    busybox_rootfs "$DIR/busybox.tar"
    start_docker
    if [ "${ENGINES_PODMAN:-1}" != 0 ] && command -v podman >/dev/null && command -v runc >/dev/null; then
      start_podman || { log "Podman is skipped (see above)"; stop_pidfile "$DIR/podman/service.pid"; }
    fi
    ;;
  stop)
    [ -d "$DIR" ] || exit 0
    DIR=$(cd "$DIR" && pwd)
    stop_all
    ;;
  *) usage ;;
esac
