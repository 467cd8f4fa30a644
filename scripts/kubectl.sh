#!/usr/bin/env bash
# Makes sure kubectl is on PATH: the tests hold the fake Kubernetes API server to what kubectl
# asks of a real one (test/environment/kubernetes/kubectl.test.ts). Installs Debian's
# kubernetes-client when it is missing (needs root and the Debian archive); a kubectl already on
# PATH, whatever its origin, is kept.
set -euo pipefail
if command -v kubectl >/dev/null 2>&1; then
  echo "scripts/kubectl.sh: kubectl already installed ($(command -v kubectl))"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/kubectl.sh: kubectl is missing and installing it needs root: apt-get install -y kubernetes-client" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubernetes-client >/dev/null
echo "scripts/kubectl.sh: installed $(kubectl version --client 2>/dev/null | head -n 1)"
