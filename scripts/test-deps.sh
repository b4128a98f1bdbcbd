#!/usr/bin/env bash
# The Debian packages the tests use: real ffmpeg/ffprobe for the media tests, PostgreSQL's server
# binaries for the PostgreSQL store tests, a compiler for node-pty, Chromium for the end-to-end
# suite (e2e/, driven by playwright-core, which downloads no browser), promtool (package prometheus)
# for the alert rules' unit tests. Runs before `npm test`
# (pretest) and in CI. As root with apt-get (as on this project's machines) it installs what is
# missing; elsewhere it says what to install and fails, so no test is silently skipped.
set -euo pipefail

missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# promtool checks the shipped alert rules (docs/monitoring) with Prometheus's own rule engine
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
# Debian keeps initdb off PATH
command -v initdb >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)

[ ${#missing[@]} -eq 0 ] && exit 0
packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages the tests need: ${packages}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends ${packages} >/dev/null
else
  echo "The tests need these packages: ${packages}(install them, e.g. sudo apt-get install ${packages})" >&2
  exit 1
fi
