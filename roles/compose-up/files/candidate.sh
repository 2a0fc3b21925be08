# candidate check: $1 = release dir, $2 = compose command, $3 = project, $4 = timeout (s), $5 = container name.
# Starts the release's backend once, beside the running release (a `compose run` one-off: the project network, the
# release's .env, secrets and licence, no network alias, so the ingress never routes to it), and waits until its
# /readyz answers 200. Prints that answer; on timeout or exit prints why and its last log lines, exit 1.
# The container is removed on every way out (the caller removes it again in an always: block).
dir=$1; compose=$2; project=$3; timeout=$4; name=$5
lb=$(printf '\173\173')   # two opening braces, spelled so that the playbook templater leaves this file alone
gone() { docker rm -f "$name" >/dev/null 2>&1; }
logs() { echo "--- last log lines of the candidate backend:" >&2; docker logs --tail 10 "$name" 2>&1 | sed 's/^/    /' >&2; }
cd "$dir" || { echo "no release directory $dir" >&2; exit 1; }
gone                                       # a candidate left behind by a deploy that was killed
trap gone EXIT
out=$($compose -p "$project" run -d --no-deps --name "$name" backend 2>&1) \
  || { echo "cannot start the candidate backend: $out" >&2; exit 1; }
deadline=$(( $(date +%s) + timeout ))
last=""
while :; do
  st=$(docker inspect -f "${lb}.State.Status}}" "$name" 2>/dev/null)
  case "$st" in
    running)
      last=$(docker exec "$name" curl -sS -m 5 -w ' HTTP %{http_code}' http://127.0.0.1:8080/readyz 2>&1)
      case "$last" in *' HTTP 200') echo "${last% HTTP 200}"; exit 0;; esac;;
    created|restarting) ;;
    *) echo "the candidate backend stopped (${st:-gone}) before it was ready" >&2; logs; exit 1;;
  esac
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "the candidate backend was not ready after ${timeout}s; last /readyz: ${last:-none}" >&2
    logs; exit 1
  fi
  sleep 2
done
