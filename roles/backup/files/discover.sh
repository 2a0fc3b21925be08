#!/bin/bash
# Read-only: what runs for one client. $1 = /opt/itbm/<client>. Prints one JSON object:
#   {"root", "release" (current resolved), "env" (.env of the release), "project",
#    "containers": {service: {"name", "state", "health"}}, "volumes": {compose volume: docker volume}}
# Exit 3 with a message on stderr when there is no running release to act on.
set -u
root=$1
cur=$(readlink -f -- "$root/current" 2>/dev/null) || cur=
if [ -z "$cur" ] || [ ! -d "$cur" ]; then
  echo "no current release: $root/current does not exist or does not point to a release directory" >&2; exit 3
fi
if [ ! -r "$cur/.env" ]; then
  echo "the current release $cur has no readable .env" >&2; exit 3
fi
esc() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g'; }
env_json=$(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$cur/.env" | esc | sed -e 's/^\([^=]*\)=\(.*\)$/"\1": "\2"/' | paste -sd, -)
project=$(grep -E '^COMPOSE_PROJECT_NAME=' "$cur/.env" | tail -1 | cut -d= -f2-)
[ -n "$project" ] || project=$(basename -- "$cur")
containers=$(docker ps -a --filter "label=com.docker.compose.project=$project" \
  --format '{{.Label "com.docker.compose.service"}}	{{.Names}}	{{.State}}' | while IFS='	' read -r svc name state; do
    [ "$svc" = migrate ] && continue
    health=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$name" 2>/dev/null)
    printf '"%s": {"name": "%s", "state": "%s", "health": "%s"}\n' "$svc" "$name" "$state" "$health"
  done | paste -sd, -)
volumes=$(docker volume ls --filter "label=com.docker.compose.project=$project" \
  --format '{{.Label "com.docker.compose.volume"}}	{{.Name}}' | while IFS='	' read -r vol name; do
    printf '"%s": "%s"\n' "$vol" "$name"
  done | paste -sd, -)
printf '{"root": "%s", "release": "%s", "project": "%s", "env": {%s}, "containers": {%s}, "volumes": {%s}}\n' \
  "$root" "$cur" "$project" "$env_json" "$containers" "$volumes"
