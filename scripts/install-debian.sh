#!/usr/bin/env bash
# One-step install on Debian/Ubuntu: the system libraries Qt WebEngine needs (offscreen and under Xvfb),
# poppler-utils (PDF previews in tests), then ClusterMapper itself with its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  libglib2.0-0 libnss3 libnspr4 libegl1 libgl1 libgbm1 libx11-6 libxcb1 libxcb-dri3-0 libxext6 libxfixes3 \
  libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxkbcommon0 libxkbfile1 libasound2 libdbus-1-3 \
  libfontconfig1 libfreetype6 xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-shape0 \
  libxcb-render-util0 libxcb-image0 libxkbcommon-x11-0 poppler-utils fonts-dejavu-core util-linux >/dev/null
python3 -m pip install -q --upgrade pip
python3 -m pip install -q -e ".[gui,test]"
echo "ClusterMapper installed: try 'clustermapper gui --demo'"
