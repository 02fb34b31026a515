#!/usr/bin/env bash
# Makes sure Debian's nginx is installed for the tests that put Parley behind a real reverse proxy
# (test/integration/behind-nginx.test.ts). Only the binary is used: each test writes its own config
# and runs its own nginx on free ports; the package's own service is kept from starting.
set -euo pipefail
if [ -x /usr/sbin/nginx ]; then exit 0; fi
echo "nginx missing: installing Debian's nginx with apt-get" >&2
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
# no service may start on port 80 during the install (policy-rc.d: 101 = action forbidden)
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  created_policy=1
fi
$SUDO apt-get update -qq || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx-light >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null
if [ "$created_policy" = 1 ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
test -x /usr/sbin/nginx
