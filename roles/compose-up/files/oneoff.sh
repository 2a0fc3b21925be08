# One-off containers of the new release beside the running one (`compose run`: the project network, the release's
# .env, secrets and licence). Three actions:
#
#   candidate DIR COMPOSE PROJECT TIMEOUT NAME
#     The candidate check: starts the release's backend once as NAME, with no network alias (the ingress never
#     routes to it), waits until its /readyz answers 200 and prints that answer. On timeout or exit prints why and
#     its last log lines, exit 1. NAME is removed on every way out (the caller removes it again in an always: block).
#
#   bridge-up DIR COMPOSE PROJECT TIMEOUT
#     Zero failed requests while Compose replaces the backend and the frontend: before `compose up`, starts the new
#     release's backend and frontend once more as one-off containers that carry the services' network names
#     (`compose run --use-aliases`), so the ingress and the frontends reach old and new side by side, and waits until
#     both answer (backend /readyz 200, frontend /healthz 200). Compose then stops the old ones (they stop listening
#     at once and finish what is in flight; a refused connection is tried on the other address, see the Caddyfiles)
#     and starts their successors. The candidate check has proven before this that the release's backend gets
#     ready; a bridge that still does not is removed and fails the deploy before any running container is touched.
#
#   bridge-down PROJECT
#     After the health gate or on a failure: stops the two bridges (SIGTERM, the same drain) and removes them.
#
# Prints what it did; on failure why, with the containers' last log lines.
lb=$(printf '\173\173')   # two opening braces, spelled so that the playbook templater leaves this file alone
action=$1
shift

# lastlogs NAME LABEL: the container's last log lines, to stderr
lastlogs() {
  echo "--- last log lines of $2:" >&2
  docker logs --tail 10 "$1" 2>&1 | sed 's/^/    /' >&2
}

# ready NAME PATH LABEL: polls http://127.0.0.1:8080PATH inside the container until 200 or $deadline; on 200 prints
# the answer's body, else why (with the last answer) to stderr, exit status 1
ready() {
  last=""
  while :; do
    st=$(docker inspect -f "${lb}.State.Status}}" "$1" 2>/dev/null)
    case "$st" in
      running)
        last=$(docker exec "$1" curl -sS -m 5 -w ' HTTP %{http_code}' "http://127.0.0.1:8080$2" 2>&1)
        case "$last" in *' HTTP 200') echo "${last% HTTP 200}"; return 0;; esac;;
      created|restarting) ;;
      *) echo "$3 stopped (${st:-gone}) before it was ready" >&2; return 1;;
    esac
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "$3 was not ready after ${timeout}s; last $2: ${last:-none}" >&2
      return 1
    fi
    sleep 1
  done
}

# run SERVICE NAME LABEL [compose run options]: starts the one-off from the release directory
run() {
  service=$1; name=$2; label=$3
  shift 3
  out=$($compose -p "$project" run -d --no-deps "$@" --name "$name" "$service" 2>&1) \
    || { echo "cannot start $label: $out" >&2; return 1; }
}

bridges() { echo "$project-bridge-backend $project-bridge-frontend"; }

bridge_down() {
  for n in $(bridges); do
    docker inspect "$n" >/dev/null 2>&1 || continue
    docker stop -t 10 "$n" >/dev/null 2>&1
    docker rm -f "$n" >/dev/null 2>&1 && echo "removed $n"
  done
  return 0
}

case "$action" in
  candidate)
    dir=$1; compose=$2; project=$3; timeout=$4; name=$5
    gone() { docker rm -f "$name" >/dev/null 2>&1; }
    cd "$dir" || { echo "no release directory $dir" >&2; exit 1; }
    gone                                   # a candidate left behind by a deploy that was killed
    trap gone EXIT
    run backend "$name" "the candidate backend" || exit 1
    deadline=$(( $(date +%s) + timeout ))
    ready "$name" /readyz "the candidate backend" && exit 0
    lastlogs "$name" "the candidate backend"
    exit 1;;
  bridge-up)
    dir=$1; compose=$2; project=$3; timeout=$4
    cd "$dir" || { echo "no release directory $dir" >&2; exit 1; }
    bridge_down >/dev/null                 # bridges left behind by a deploy that was killed
    deadline=$(( $(date +%s) + timeout ))
    for s in backend frontend; do
      run "$s" "$project-bridge-$s" "the bridge $s" --use-aliases || { bridge_down >/dev/null; exit 1; }
    done
    if ! { ready "$project-bridge-backend" /readyz "$project-bridge-backend" >/dev/null \
           && ready "$project-bridge-frontend" /healthz "$project-bridge-frontend" >/dev/null; }; then
      for n in $(bridges); do lastlogs "$n" "$n"; done
      bridge_down >/dev/null
      exit 1
    fi
    echo "serving beside the running release: $(bridges)";;
  bridge-down)
    project=$1
    bridge_down;;
  *) echo "oneoff.sh: candidate, bridge-up or bridge-down, not '$action'" >&2; exit 2;;
esac
