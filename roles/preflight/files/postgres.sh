#!/bin/bash
# Preflight: IMAGE HOST PORT DATABASE USER SSLMODE -> one JSON row {status, value, hint}. stdin: the password (first
# line), then the CA (PEM) for sslmode verify-full (used only then: require encrypts without checking, as pgjdbc does). The external PostgreSQL checked from this server with psql of
# our own image (docker run --rm --network host: the server's own network and resolver); the password reaches psql
# on stdin and in the container's environment only, never in argv. IMAGE empty: any itbm/postgres image on the
# server; without one only the TCP connection is checked.
image=$1; host=$2; port=$3; db=$4; user=$5; sslmode=$6
IFS= read -r pw || true
ca=$(cat)
q() { printf '%s' "$1" | tr -d '"\\\n'; }
row() { printf '{"status": "%s", "value": "%s", "hint": "%s"}\n' "$1" "$(q "$2")" "$(q "$3")"; exit 0; }
[ -n "$image" ] || image=$(docker images --format '{{.Repository}}:{{.Tag}}' 2>/dev/null |
  grep -E '(^|/)itbm/postgres:' | grep -v ':<none>$' | head -1)
if [ -z "$image" ]; then
  timeout 8 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null ||
    row fail "unreachable: no TCP connection to $host:$port" "open the firewall from this server to $host:$port"
  row warn "$host:$port reachable; credentials not checked (no itbm/postgres image on this server yet)" \
    "run prepare again after the images are on the server (deploy pulls or loads them)"
fi
script='IFS= read -r PGPASSWORD; export PGPASSWORD; ca=$(cat)
case "$4" in verify-*) if [ -n "$ca" ]; then printf "%s\n" "$ca" > /tmp/ca.pem; export PGSSLROOTCERT=/tmp/ca.pem; fi;; esac
exec psql -X -A -t -w -v ON_ERROR_STOP=1 "host=$0 port=$1 dbname=$2 user=$3 sslmode=$4 connect_timeout=8" -c "show server_version"'
out=$({ printf '%s\n' "$pw"; [ -n "$ca" ] && printf '%s\n' "$ca"; } |
  timeout 90 docker run --rm -i --network host --entrypoint sh "$image" -c "$script" "$host" "$port" "$db" "$user" "$sslmode" 2>&1)
rc=$?
[ $rc -eq 0 ] && row pass "PostgreSQL $(printf '%s' "$out" | tail -1 | cut -d' ' -f1) at $host:$port, user $user accepted" ""
first=$(printf '%s' "$out" | grep -v '^\s*$' | head -1 | sed 's/^psql: //; s/^error: //' | cut -c1-160)
case "$out" in
  *"password authentication failed"*|*"no password supplied"*|*"pg_hba.conf"*|*"role \""*"\" does not exist"*)
    row fail "reachable, but $host:$port refuses user $user ($first)" \
      "check database.user and the password the client file refers to; the customer's DBA can reset it or allow this server in pg_hba.conf";;
  *"database \""*"\" does not exist"*)
    row fail "user $user accepted, but database $db does not exist" "ask the customer's DBA to create database $db owned by $user";;
  *"could not translate host name"*)
    row fail "unreachable: $host does not resolve on this server" "check database.host and this server's DNS";;
  *"SSL"*|*"certificate"*)
    row fail "TLS to $host:$port failed ($first)" "check database.tls (mode, ca) against the server's TLS setup";;
  *"Connection refused"*|*"timeout expired"*|*"No route to host"*|*"could not connect"*|*"Network is unreachable"*)
    row fail "unreachable: $host:$port ($first)" "open the firewall from this server to $host:$port; is PostgreSQL listening there?";;
  *"Unable to find image"*|*"No such image"*)
    row fail "cannot run $image to check" "load the release's images first";;
esac
[ $rc -eq 124 ] && row fail "unreachable: no answer from $host:$port in 90 s" "open the firewall from this server to $host:$port"
row fail "check failed: $first" "run psql against $host:$port from the server to see the whole message"
