# bridge: $1 = up|down, $2 = release dir, $3 = compose command, $4 = project, $5 = timeout (s).
# Zero failed requests while Compose replaces the backend and the frontend: before `compose up`, `up` starts the
# new release's backend and frontend once more as one-off containers that carry the services' network names
# (`compose run --use-aliases`), so the ingress and the frontends reach old and new side by side, and waits until
# both answer (backend /readyz 200, frontend /healthz 200). Compose then stops the old ones (they stop listening at
# once and finish what is in flight; a refused connection is tried on the other address, see the Caddyfiles) and
# starts their successors. `down`, after the health gate or on a failure, stops the two (SIGTERM, the same drain)
# and removes them. The candidate check has proven before this that the release's backend gets ready; a bridge that
# still does not is removed and fails the deploy before any running container is touched.
# Prints what it did; on failure why, with the container's last log lines.
action=$1; dir=$2; compose=$3; project=$4; timeout=$5
lb=$(printf '\173\173')   # two opening braces, spelled so that the playbook templater leaves this file alone
names="$project-bridge-backend $project-bridge-frontend"

down() {
  for n in $names; do
    docker inspect "$n" >/dev/null 2>&1 || continue
    docker stop -t 10 "$n" >/dev/null 2>&1
    docker rm -f "$n" >/dev/null 2>&1 && echo "removed $n"
  done
  return 0
}

# ready NAME URL: polls URL inside the container until 200 or the deadline
ready() {
  last=""
  while :; do
    st=$(docker inspect -f "${lb}.State.Status}}" "$1" 2>/dev/null)
    case "$st" in
      running)
        last=$(docker exec "$1" curl -sS -m 5 -o /dev/null -w '%{http_code}' "$2" 2>&1)
        [ "$last" = 200 ] && return 0;;
      created|restarting) ;;
      *) echo "$1 stopped (${st:-gone}) before it was ready" >&2; return 1;;
    esac
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "$1 was not ready after ${timeout}s; last answer of $2: ${last:-none}" >&2
      return 1
    fi
    sleep 1
  done
}

case "$action" in
  down) down; exit 0;;
  up) ;;
  *) echo "bridge.sh: up or down, not '$action'" >&2; exit 2;;
esac
cd "$dir" || { echo "no release directory $dir" >&2; exit 1; }
down >/dev/null                            # bridges left behind by a deploy that was killed
deadline=$(( $(date +%s) + timeout ))
for s in backend frontend; do
  out=$($compose -p "$project" run -d --no-deps --use-aliases --name "$project-bridge-$s" "$s" 2>&1) \
    || { echo "cannot start the bridge $s: $out" >&2; down >/dev/null; exit 1; }
done
ok=1
ready "$project-bridge-backend" http://127.0.0.1:8080/readyz || ok=0
[ "$ok" = 1 ] && { ready "$project-bridge-frontend" http://127.0.0.1:8080/healthz || ok=0; }
if [ "$ok" = 0 ]; then
  for n in $names; do
    echo "--- last log lines of $n:" >&2; docker logs --tail 10 "$n" 2>&1 | sed 's/^/    /' >&2
  done
  down >/dev/null
  exit 1
fi
echo "serving beside the running release: $names"
