#!/bin/bash
# On the host.
#   ingress.sh install TLS_DIR CERT_TMP KEY_TMP   keep TLS_DIR/*.pem as *.pem.prev, move the new files in (same mode and
#                                                owner as the old ones); the temp files were uploaded beside them
#   ingress.sh putback TLS_DIR                   *.pem.prev back to *.pem (TLS_DIR: what the ingress mounts at /run/tls)
#   ingress.sh forget-internal IMAGE VOLUME DOMAIN   delete the ingress's internal-CA certificate for DOMAIN
#   ingress.sh restart NAME TIMEOUT              docker restart, wait until healthy
set -euo pipefail
step=$1; shift
case $step in
  install)
    tls=$1
    for f in cert key; do
      [ -f "$tls/$f.pem" ] && cp -p "$tls/$f.pem" "$tls/$f.pem.prev"
    done
    for f in cert key; do
      tmp=$2; [ $f = key ] && tmp=$3
      if [ -f "$tls/$f.pem" ]; then chmod --reference="$tls/$f.pem" "$tmp"; chown --reference="$tls/$f.pem" "$tmp" 2>/dev/null || true
      else chmod 0644 "$tmp"; fi
      mv -f "$tmp" "$tls/$f.pem"
    done ;;
  putback)
    tls=$1
    for f in cert key; do [ -f "$tls/$f.pem.prev" ] && mv -f "$tls/$f.pem.prev" "$tls/$f.pem"; done ;;
  forget-internal)
    docker run --rm --user 0 -v "$2:/data" --entrypoint sh "$1" -c 'rm -rf "/data/caddy/certificates/local/$1"' sh "$3" ;;
  restart)
    docker restart -t 10 "$1" >/dev/null
    end=$(( $(date +%s) + $2 ))
    until [ "$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$1")" = healthy ]; do
      [ "$(date +%s)" -lt "$end" ] || { echo "ingress $1 not healthy $2 s after the restart; docker logs $1" >&2; exit 1; }
      sleep 1
    done ;;
  *) echo "unknown step $step" >&2; exit 2 ;;
esac
