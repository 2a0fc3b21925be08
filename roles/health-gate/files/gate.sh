# health gate: $1 = compose command, $2 = project, $3 = timeout (s), rest = services that must be healthy.
# Polls `docker inspect` of the project's containers (not one-off ones such as a deploy's candidates); on timeout
# names each bad service with its last log lines.
compose=$1; project=$2; timeout=$3; shift 3
deadline=$(( $(date +%s) + timeout ))
lb=$(printf '\173\173')   # two opening braces, spelled so that the playbook templater leaves this file alone
fmt="${lb}.State.Status}}/${lb}if .State.Health}}${lb}.State.Health.Status}}${lb}else}}none${lb}end}}"
# service_container PS_FLAGS SERVICE: the id of the project's (non one-off) container of SERVICE
service_container() {
  docker ps "$1" --filter "label=com.docker.compose.project=$project" --filter label=com.docker.compose.oneoff=False \
    --filter "label=com.docker.compose.service=$2" | head -n1
}
while :; do
  bad=""
  for s in "$@"; do
    id=$(service_container -aq "$s")
    if [ -z "$id" ]; then bad="$bad $s:missing"; continue; fi
    st=$(docker inspect -f "$fmt" "$id")
    case "$st" in running/healthy|running/none) ;; *) bad="$bad $s:$st";; esac
  done
  [ -z "$bad" ] && break
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "not healthy after ${timeout}s:$bad" >&2
    for b in $bad; do
      s=${b%%:*}
      id=$(service_container -aq "$s")
      [ -n "$id" ] && { echo "--- last log lines of $s:" >&2; docker logs --tail 5 "$id" 2>&1 | sed 's/^/    /' >&2; }
    done
    exit 1
  fi
  sleep 2
done
id=$(service_container -q backend)
docker exec "$id" curl -fsS http://127.0.0.1:8080/readyz >/dev/null || { echo "backend /readyz is not 200" >&2; exit 1; }
docker exec "$id" curl -fsS http://127.0.0.1:8080/version
