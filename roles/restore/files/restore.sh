#!/bin/bash
# One step of a restore, run on the host as the deploy user (group docker).
#   restore.sh verify DIR                      sha256sum -c SHA256SUMS (read-only); prints every FAILED line
#   restore.sh stop NAME...                    docker stop; prints the names that were running (to start again)
#   restore.sh db-container DIR CONTAINER      pg_restore --clean in ONE transaction: on error nothing changed
#   restore.sh volume DIR IMAGE VOLUME NAME    empty the volume, untar the archive into it
#   restore.sh users VOLUME                    names of running containers that mount VOLUME
#   restore.sh start TIMEOUT NAME...           docker start, then wait until each is healthy (or running without a
#                                              healthcheck); exit 1 naming the ones that are not
set -uo pipefail
# (an external database is restored by roles/migrate/files/extdb.sh, with the release's connection, password and TLS)
step=$1; shift
case $step in
  verify)
    cd "$1" || { echo "backup directory $1 does not exist" >&2; exit 3; }
    [ -f SHA256SUMS ] || { echo "SHA256SUMS is missing in $1" >&2; exit 4; }
    out=$(sha256sum -c --strict SHA256SUMS 2>&1); rc=$?
    if [ $rc -ne 0 ]; then printf '%s\n' "$out" | grep -v ': OK$' >&2; exit 5; fi
    cat manifest.json ;;
  stop)
    for n in "$@"; do
      if [ "$(docker inspect -f '{{.State.Running}}' "$n" 2>/dev/null)" = true ]; then
        docker stop -t 30 "$n" >/dev/null || exit 1; echo "$n"
      fi
    done ;;
  db-container)
    dir=$1; c=$2
    docker exec -i "$c" sh -c 'PGPASSWORD="$(cat /run/secrets/db_password)" exec pg_restore --clean --if-exists --single-transaction --exit-on-error --no-owner -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"' \
      <"$dir/db.dump" ;;
  volume)
    dir=$1; image=$2; volume=$3; name=$4
    docker run --rm -i --user 0 -v "$volume:/data" --entrypoint sh "$image" \
      -c 'find /data -mindepth 1 -delete && tar -C /data -xzf -' <"$dir/volume-$name.tar.gz" ;;
  users)
    docker ps --filter "volume=$1" --format '{{.Names}}' ;;
  start)
    timeout=$1; shift
    for n in "$@"; do docker start "$n" >/dev/null || { echo "docker start $n failed" >&2; exit 1; }; done
    end=$(( $(date +%s) + timeout ))
    while :; do
      bad=
      for n in "$@"; do
        s=$(docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$n" 2>/dev/null)
        case $s in running/healthy|running/none) ;; *) bad="$bad $n($s)" ;; esac
      done
      [ -z "$bad" ] && { echo "healthy: $*"; exit 0; }
      [ "$(date +%s)" -ge "$end" ] && { echo "not healthy after ${timeout}s:$bad" >&2; exit 1; }
      sleep 2
    done ;;
  *) echo "unknown step $step" >&2; exit 2 ;;
esac
