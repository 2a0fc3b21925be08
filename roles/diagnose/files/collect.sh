#!/bin/bash
# budgetctl diagnose (roles/diagnose): read-only. Prints ONE JSON object on stdout:
#   {"files": [{"name": "...", "content": "...", "bytes": N, "truncated": bool}, ...], "host_secrets": ["..."]}
# Files are what support needs (compose ps, logs, versions, disk and memory, audit lines, the rendered
# configuration); host_secrets are the values of the secrets deploy generated on this server (shared/secrets/*,
# the ingress key), sent only so that budgetctl can redact them from the files - they never enter the bundle.
# Nothing is written anywhere on the host: every command only reads, output is held in shell variables.
# Arguments: client dir, compose project, log lines per service, since ('' or a docker --since value: 3600s or an
# RFC 3339 UTC time), bytes kept per file, bytes for all files.
export LC_ALL=C
dir=$1; project=$2; lines=$3; since=$4; maxfile=$5; maxtotal=$6
total=0
first=1

# JSON string of stdin: backslash, quote, tab and CR escaped, other control characters dropped, lines joined by \n
jstr() {
  tr -d '\000-\010\013\014\016-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/\r/\\r/g' \
    | awk 'BEGIN { printf "\"" } { if (NR > 1) printf "\\n"; printf "%s", $0 } END { printf "\"" }'
}

# put NAME TEXT: one file of the document, cut to the last $maxfile bytes (a marker says so), left out with a marker
# once $maxtotal bytes have been put
put() {
  local name=$1 text=$2 cut=false size=${#2}
  if [ "$size" -gt "$maxfile" ]; then
    text="[budgetctl diagnose: cut to the last $maxfile of $size bytes]
${text: -$maxfile}"
    cut=true
  fi
  if [ $((total + ${#text})) -gt "$maxtotal" ]; then
    text="[budgetctl diagnose: left out ($size bytes): the bundle's limit of $maxtotal bytes was reached]"
    cut=true
  fi
  total=$((total + ${#text}))
  [ $first -eq 1 ] || printf ','
  first=0
  printf '{"name": "%s", "bytes": %s, "truncated": %s, "content": ' "$name" "$size" "$cut"
  printf '%s' "$text" | jstr
  printf '}'
}

# run NAME COMMAND...: put the command's stdout and stderr (at most maxfile+1 bytes are kept while it runs)
run() {
  local name=$1; shift
  put "$name" "$("$@" 2>&1 | tail -c $((maxfile + 1)); rc=${PIPESTATUS[0]}; [ "$rc" -eq 0 ] || echo "[exit $rc]")"
}

compose() {
  if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi
}

compose_ps() {
  if [ -f "$dir/current/docker-compose.yml" ]; then
    cd "$dir/current" && compose -p "$project" ps -a
  else
    echo "no current release in $dir: nothing deployed"
    docker ps -a --filter "label=com.docker.compose.project=$project"
  fi
}

versions() {
  echo "== /etc/os-release"; cat /etc/os-release 2>&1
  echo "== uname -a"; uname -a
  echo "== docker version"; docker version 2>&1
  echo "== compose version"; docker compose version 2>&1 || docker-compose version 2>&1
  echo "== docker info"; docker info 2>&1
}

images() {
  docker image ls --digests --no-trunc --format 'table {{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.Digest}}\t{{.CreatedAt}}\t{{.Size}}'
  echo "== images of the running containers"
  for id in $(docker ps -aq --filter "label=com.docker.compose.project=$project"); do
    docker inspect -f '{{.Name}} {{.Config.Image}} {{.Image}}' "$id"
  done
}

resources() {
  echo "== uptime"; uptime 2>&1 || cat /proc/loadavg
  echo "== cpus"; nproc 2>&1
  echo "== memory"; free -m 2>&1 || grep -E '^(MemTotal|MemFree|MemAvailable|SwapTotal|SwapFree):' /proc/meminfo
  echo "== disk"; df -hP 2>&1
  echo "== inodes"; df -iP "$dir" / 2>&1
  echo "== docker disk use"; docker system df 2>&1
  echo "== container resources"
  docker stats --no-stream --format 'table {{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}' \
    $(docker ps -q --filter "label=com.docker.compose.project=$project") 2>&1
}

releases() {
  echo "current -> $(readlink "$dir/current" 2>/dev/null || echo '(none)')"
  ls -la "$dir/releases" 2>&1
  echo "== backups"; ls -la "$dir/backups" 2>&1
}

daemon_log() {
  local s=()
  case "$since" in
    '') ;;
    *s) s=(--since "-${since%s}s") ;;
    *Z) s=(--since "$(printf '%s' "${since%Z}" | tr T ' ') UTC") ;;
  esac
  journalctl -u docker -u containerd --no-pager -n "$lines" "${s[@]}" 2>&1
}

logs() {
  local s=()
  [ -n "$since" ] && s=(--since "$since")
  docker logs --timestamps --tail "$lines" "${s[@]}" "$1"
}

printf '{"files": ['
run compose-ps.txt compose_ps
run docker-ps.txt docker ps -a --no-trunc
run versions.txt versions
run images.txt images
run resources.txt resources
run releases.txt releases
[ -f "$dir/lock/details.json" ] && run lock.json cat "$dir/lock/details.json"
if [ -f "$dir/audit.log" ]; then run audit.log tail -n "$lines" "$dir/audit.log"; fi
# the rendered configuration of the current release (its secrets/ and tls/key.pem never)
for f in .env docker-compose.yml release.json ingress/Caddyfile licence/licence.json; do
  [ -f "$dir/current/$f" ] && run "config/${f#.}" cat "$dir/current/$f"
done
for id in $(docker ps -aq --filter "label=com.docker.compose.project=$project"); do
  n=$(docker inspect -f '{{.Name}}' "$id"); n=${n#/}
  case "$n" in *[!A-Za-z0-9_.-]*|'') n=$id;; esac
  run "containers/$n.state.json" docker inspect -f '{{json .State}}' "$id"
  run "containers/$n.env" docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$id"
  run "logs/$n.log" logs "$id"
done
run docker-daemon.log daemon_log
printf '], "host_secrets": ['
sfirst=1
for f in "$dir"/shared/secrets/* "$dir"/current/secrets/* "$dir"/shared/tls/key.pem "$dir"/current/tls/key.pem; do
  [ -f "$f" ] && [ -r "$f" ] || continue
  [ $sfirst -eq 1 ] || printf ','
  sfirst=0
  head -c 65536 "$f" | jstr
done
printf '], "total_bytes": %s}\n' "$total"
