#!/bin/bash
# The customer's external PostgreSQL, reached the way the release's services reach it, from a one-shot container of
# our postgres image (psql, pg_dump, pg_restore). Run on the host as the deploy user (group docker).
#   extdb.sh schema  RELEASE IMAGE        newest successful Flyway version; empty when there is no history yet
#   extdb.sh dump    RELEASE IMAGE FILE   pg_dump -Fc into FILE (written as FILE.part, renamed when complete)
#   extdb.sh restore RELEASE IMAGE FILE   replace the public schema by FILE's contents in ONE transaction: on any
#                                         error nothing changed
# Where and how to connect comes from RELEASE/.env: DATABASE_URL (host, port, database, sslmode, sslrootcert) and
# DATABASE_USER. The password and the CA are the release's secret files (secrets/db_password, secrets/db_ca, owned by
# the application's uid 10001, 0400), mounted read-only into a container running as that uid: PGSSLMODE is the URL's
# sslmode and PGSSLROOTCERT the CA, so libpq checks the server exactly as pgjdbc does (verify-full: chain and host
# name). --network host: the server's own network and resolver, as the preflight's check. The password is read
# inside the container from the mounted file, never in argv or the environment of a docker command.
set -euo pipefail
step=$1; rel=$(readlink -f -- "$2"); image=$3
[ -r "$rel/.env" ] || { echo "extdb: $rel/.env is missing or unreadable" >&2; exit 2; }
envget() { grep -E "^$1=" "$rel/.env" | tail -n1 | cut -d= -f2-; }
url=$(envget DATABASE_URL); user=$(envget DATABASE_USER); user=${user:-itbm}
[ -n "$url" ] || { echo "extdb: $rel/.env has no DATABASE_URL (not an external database)" >&2; exit 2; }
rest=${url#jdbc:postgresql://}; hostport=${rest%%/*}; rest=${rest#*/}
db=${rest%%\?*}; query=""; case $rest in *\?*) query=${rest#*\?} ;; esac
host=${hostport%:*}; port=5432; [ "$hostport" != "$host" ] && port=${hostport##*:}
param() { printf '%s\n' "$query" | tr '&' '\n' | sed -n "s/^$1=//p" | tail -n1; }
sslmode=$(param sslmode); sslmode=${sslmode:-prefer}
secret=$rel/secrets/db_password
# a release rendered before the secrets were per-service files had only secrets/db_password (0444)
[ -e "$secret" ] || { echo "extdb: $secret is missing" >&2; exit 2; }
args=(--rm -i --network host --user 10001:10001 -e HOME=/tmp -e PGHOST="$host" -e PGPORT="$port"
      -e PGDATABASE="$db" -e PGUSER="$user" -e PGSSLMODE="$sslmode" -e PGCONNECT_TIMEOUT=15
      -e PGAPPNAME="budgetctl-$step" -e PGOPTIONS="-c client_min_messages=warning" -v "$secret:/run/secrets/db_password:ro")
if [ -n "$(param sslrootcert)" ]; then
  [ -s "$rel/secrets/db_ca" ] || { echo "extdb: DATABASE_URL names a CA file but $rel/secrets/db_ca is empty" >&2; exit 2; }
  args+=(-v "$rel/secrets/db_ca:/run/secrets/db_ca:ro" -e PGSSLROOTCERT=/run/secrets/db_ca)
elif [ "$sslmode" = verify-full ] || [ "$sslmode" = verify-ca ]; then
  echo "extdb: sslmode $sslmode without a CA file: set database.tls.ca in the client file (backups and restores" \
    "check the server with it; the postgres image has no system CA bundle)" >&2; exit 2
fi
run() { docker run "${args[@]}" --entrypoint sh "$image" -c "PGPASSWORD=\"\$(cat /run/secrets/db_password)\"; export PGPASSWORD; $1"; }
case $step in
  schema)
    run 'set -e; t=$(psql -X -tAq -v ON_ERROR_STOP=1 -c "SELECT to_regclass('"'public.flyway_schema_history'"') IS NOT NULL")
      [ "$t" = t ] || exit 0
      exec psql -X -tAq -v ON_ERROR_STOP=1 -c "SELECT coalesce(max(version::int)::text, '"''"') FROM flyway_schema_history WHERE success"' </dev/null ;;
  dump)
    out=$4
    run 'exec pg_dump -Fc' </dev/null >"$out.part"
    mv -- "$out.part" "$out" ;;
  restore)
    # the public schema as initdb makes it (owned by pg_database_owner when this user may hand it over, USAGE for
    # PUBLIC), then the dump; pg_restore writes the whole script first, so a damaged dump changes nothing
    run 'set -e
      cat >/tmp/pre.sql <<"SQL"
DROP SCHEMA public CASCADE;
CREATE SCHEMA public;
DO $$ BEGIN IF pg_has_role(current_user, '"'pg_database_owner'"', '"'MEMBER'"') THEN ALTER SCHEMA public OWNER TO pg_database_owner; END IF; END $$;
GRANT USAGE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS '"'standard public schema'"';
SQL
      pg_restore --no-owner -f /tmp/restore.sql
      exec psql -X -q -o /dev/null -v ON_ERROR_STOP=1 --single-transaction -f /tmp/pre.sql -f /tmp/restore.sql' <"$4" ;;
  *) echo "extdb: unknown step $step" >&2; exit 2 ;;
esac
