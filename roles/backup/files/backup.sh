#!/bin/bash
# One step of a backup, run on the host as the deploy user (group docker). Each step writes its file as NAME.part and
# renames it when complete, so a file without .part is whole.
#   backup.sh db-container DIR CONTAINER               pg_dump -Fc inside the bundled postgres container
#   backup.sh volume       DIR IMAGE VOLUME NAME        tar.gz of a named volume from a one-shot container
#   backup.sh config       DIR RELEASE                  tar.gz of the release directory (.env and secrets included;
#                                                       run as root, the secrets are 0400 files of the services' users)
#   backup.sh seal         DIR                          SHA256SUMS of every file; prints "name sha256 size" lines
set -euo pipefail
# (an external database is dumped by roles/migrate/files/extdb.sh, with the release's connection, password and TLS)
step=$1; dir=$2; shift 2
case $step in
  db-container)
    docker exec "$1" sh -c 'PGPASSWORD="$(cat /run/secrets/db_password)" exec pg_dump -Fc -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"' \
      >"$dir/db.dump.part"
    mv "$dir/db.dump.part" "$dir/db.dump" ;;
  volume)
    image=$1; volume=$2; name=$3
    docker run --rm --user 0 -v "$volume:/data:ro" --entrypoint tar "$image" -C /data -czf - . >"$dir/volume-$name.tar.gz.part"
    mv "$dir/volume-$name.tar.gz.part" "$dir/volume-$name.tar.gz" ;;
  config)
    tar -C "$1" -czf "$dir/config.tar.gz.part" .
    # run as root (the secrets are 0400 files of the services' users): the snapshot belongs to the backup's owner
    chown --reference="$dir" "$dir/config.tar.gz.part"
    mv "$dir/config.tar.gz.part" "$dir/config.tar.gz" ;;
  seal)
    cd "$dir"
    files=$(ls -1 | grep -v -e '\.part$' -e '^SHA256SUMS$' -e '^manifest.json$' || true)
    [ -n "$files" ] || { echo "nothing to seal in $dir" >&2; exit 1; }
    # shellcheck disable=SC2086
    sha256sum -- $files >SHA256SUMS.part && mv SHA256SUMS.part SHA256SUMS
    while read -r sum name; do printf '%s %s %s\n' "$name" "$sum" "$(stat -c %s -- "$name")"; done <SHA256SUMS ;;
  *) echo "unknown step $step" >&2; exit 2 ;;
esac
