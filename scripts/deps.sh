#!/usr/bin/env bash
# Install what flowtally needs to build, test and run its demo, from Debian 12.
# As root it runs apt-get for whatever is missing; otherwise it prints the
# exact command to run. Safe to run again: it installs only what is missing.
set -euo pipefail

PKGS=(
	# build
	build-essential cmake pkg-config clang clang-format libclang-rt-14-dev
	libpcap-dev librrd-dev libconfuse-dev libcmocka-dev libzstd-dev
	liblz4-dev
	# run and serve
	rrdtool rrdcached lighttpd
	# interop oracles and test tools
	softflowd nfdump tshark python3 python3-html5lib tcpdump curl
	chromium hyperfine
	time # sensor bench: /usr/bin/time for CPU seconds and max RSS
)

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#PKGS[@]} packages present"
	exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages; run as root:" >&2
	echo "  apt-get update && $cmd" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no, unattended.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
