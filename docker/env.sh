#!/bin/bash
# Writes docker/.env with fresh secrets for the stack (once: an existing .env is kept) and prints the password of
# Recon's user "admin". Bcrypt hashes come from htpasswd (Debian: apt-get install apache2-utils), or from the httpd
# image when it is not installed.
set -euo pipefail
cd "$(dirname "$0")"
if [ -e .env ]; then
  echo "docker/.env exists; remove it for new secrets" >&2
  exit 1
fi
bcrypt() {
  if command -v htpasswd >/dev/null; then
    htpasswd -bnBC 10 "" "$1" | tr -d ':\n'
  else
    docker run --rm httpd:2.4-alpine htpasswd -bnBC 10 "" "$1" | tr -d ':\n'
  fi
}
metrics=$(openssl rand -hex 16)
admin=$(openssl rand -hex 12)
umask 077
# single quotes: compose takes the values literally (a bcrypt hash is full of $)
cat > .env <<ENV
POSTGRES_PASSWORD='$(openssl rand -hex 16)'
RECON_CATALOG_KEY='$(openssl rand -base64 32)'
RECON_METRICS_PASSWORD='${metrics}'
RECON_METRICS_PASSWORD_HASH='{bcrypt}$(bcrypt "$metrics")'
RECON_ADMIN_PASSWORD_HASH='{bcrypt}$(bcrypt "$admin")'
GRAFANA_ADMIN_PASSWORD='$(openssl rand -hex 12)'
ENV
echo "wrote docker/.env; Recon's user admin has the password $admin (Grafana's admin: GRAFANA_ADMIN_PASSWORD in docker/.env)"
