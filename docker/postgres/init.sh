#!/bin/bash
# Run once by the postgres image on an empty data directory: Recon's own database, and the demo's source systems with
# the schemas the service's demo uses (mounted from recon-service/src/main/resources/demo, not copied).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" -c "create database recon"
for db in shop pay wms; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" -c "create database $db"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$db" -f "/recon-demo-schemas/$db.sql"
done
