#!/usr/bin/env bash
# Installs the Debian packages the project needs. Idempotent: when every package is
# already installed it does nothing (no apt-get update), so a second run is fast.
set -euo pipefail
PACKAGES=(
  softhsm2 pcscd vsmartcard-vpcd opensc pcsc-tools
  libpcsclite-dev swig fonts-noto-cjk poppler-utils libzbar0 nodejs
  chromium  # the portal's browser tests: Playwright drives Debian's chromium
  libnss3-tools libengine-pkcs11-openssl  # PKCS#11 consumers of the virtual U-KEY's PIV application
  util-linux iproute2  # unshare/nsenter, ip/ss: each world's pcscd in namespaces of its own
  redis-server  # the request limits shared by the workers of a multi-process service
)
missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
# npm ships with some nodejs builds (NodeSource) and separately in Debian: ask for the
# Debian package only when no npm is on the PATH.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "system packages: installing ${missing[*]}"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
