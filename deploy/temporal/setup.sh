#!/bin/sh
# Temporal's schema on PostgreSQL, run by the admin-tools image before the
# server starts (compose.yaml, service temporal-schema). postgres-init.sql made
# the two databases; a first run sets up the schema, a later one upgrades it.
set -eu
sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" --pw "$POSTGRES_PWD" "$@"; }
for pair in temporal:temporal temporal_visibility:visibility; do
  db=${pair%%:*}
  schema=postgresql/v12/${pair##*:}
  if ! sql --db "$db" update-schema --schema-name "$schema"; then
    echo "temporal-schema: $db has no schema version yet: setting it up"
    sql --db "$db" setup-schema -v 0.0
    sql --db "$db" update-schema --schema-name "$schema"
  fi
done
