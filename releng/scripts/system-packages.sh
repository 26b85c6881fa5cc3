# Sourced by Parley's scripts: installs the Debian packages a task needs when they are missing.
# Usage: parley_need_packages "why" cmd:package [cmd:package ...]
#   Each cmd is checked with `command -v` (or, if it starts with /, as a file); missing ones are installed
#   with apt-get when running as root (or with sudo), otherwise the script says what to install and stops.
parley_need_packages() {
  local why="$1"; shift
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    if [ "${cmd#/}" != "$cmd" ]; then [ -e "$cmd" ] && continue; else command -v "$cmd" >/dev/null 2>&1 && continue; fi
    missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
      echo "Parley needs these Debian packages $why: ${missing[*]}" >&2
      echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "Installing ${missing[*]} ($why)..." >&2
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "apt-get install ${missing[*]} failed" >&2; exit 1; }
}

# The packages the media viewer plays videos and audio with (the SWT Browser on WebKitGTK; GStreamer holds the
# codecs: base for playback, good for MP4/WebM/Ogg demuxing, libav for H.264/AAC) and ffmpeg, with which the
# sender's client makes a video's poster.
PARLEY_MEDIA_PACKAGES=(
  /usr/lib/x86_64-linux-gnu/libwebkit2gtk-4.1.so.0:libwebkit2gtk-4.1-0
  /usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstplayback.so:gstreamer1.0-plugins-base
  /usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstisomp4.so:gstreamer1.0-plugins-good
  /usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstlibav.so:gstreamer1.0-libav
  /usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstopengl.so:gstreamer1.0-gl
  /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so:libgl1-mesa-dri
  ffmpeg:ffmpeg
)

# PostgreSQL's server binaries (/usr/lib/postgresql/<version>/bin), which the server's tests start on a loopback
# port with a throwaway data directory (PostgresExtension); any version Debian ships.
PARLEY_POSTGRESQL_PACKAGES=(
  "$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | head -n1 || true):postgresql"
)

# The NATS server, the messaging engine between server nodes (cluster=nats), which the cluster tests start on a
# loopback port with a throwaway configuration (NatsExtension; docs/decisions/cluster-messaging.md).
PARLEY_CLUSTER_PACKAGES=(
  /usr/sbin/nats-server:nats-server
)
