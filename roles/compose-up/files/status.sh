# Prints one JSON object about client dir $1, compose project $2: services (state, health, image, digest, started),
# /version and /integrations from the backend, current release.json, lock, disk use, last N ($3) log lines per service. Read-only.
# $4: only log lines since ('' = all; a docker --since value, checked by budgetctl: <seconds>s or RFC 3339 UTC);
# $5: logs of these services only (comma-separated; '' = every service).
dir=$1; project=$2; logs=${3:-0}; since=${4:-}; only=${5:-}
lb=$(printf '\173\173')
q() { python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))' 2>/dev/null || { printf '"'; sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr '\n\t\r' '   ' ; printf '"'; }; }
printf '{"services": ['
first=1
for id in $(docker ps -aq --filter "label=com.docker.compose.project=$project"); do
  line=$(docker inspect -f "${lb}index .Config.Labels \"com.docker.compose.service\"}}|${lb}.State.Status}}|${lb}if .State.Health}}${lb}.State.Health.Status}}${lb}else}}none${lb}end}}|${lb}.Config.Image}}|${lb}.Image}}|${lb}.State.StartedAt}}|${lb}.State.ExitCode}}|${lb}.HostConfig.RestartPolicy.Name}}|${lb}index .Config.Labels \"com.docker.compose.oneoff\"}}" "$id")
  IFS='|' read -r svc st health image imageid started code restart oneoff <<EOT
$line
EOT
  # `compose run` containers (a migration in progress, the deploy's candidate backend) are not services
  case "$oneoff" in True|true) continue;; esac
  # a one-shot service (restart "no", e.g. migrate): done = "completed" (exit 0) or "failed"; its image's health
  # check (the backend's /readyz) means nothing once it has exited
  oneshot=false
  case "$restart" in no|"") oneshot=true
    if [ "$st" = exited ]; then health=none; if [ "${code:-0}" -eq 0 ]; then st=completed; else st=failed; fi; fi;;
  esac
  [ $first -eq 1 ] || printf ','; first=0
  digest=$(docker image inspect -f "${lb}join .RepoDigests \",\"}}" "$imageid" 2>/dev/null)
  printf '{"service":"%s","state":"%s","health":"%s","image":"%s","image_id":"%s","digests":"%s","started_at":"%s","exit_code":%s,"one_shot":%s' \
    "$svc" "$st" "$health" "$image" "$imageid" "$digest" "$started" "${code:-0}" "$oneshot"
  if [ "$logs" -gt 0 ]; then
    case ",${only:-$svc}," in *",$svc,"*)
      if [ -n "$since" ]; then l=$(docker logs --tail "$logs" --since "$since" "$id" 2>&1); else l=$(docker logs --tail "$logs" "$id" 2>&1); fi
      printf ',"logs":%s' "$(printf '%s' "$l" | q)";;
    esac
  fi
  printf '}'
done
printf '],'
bid=$(docker ps -q --filter "label=com.docker.compose.project=$project" --filter label=com.docker.compose.oneoff=False --filter "label=com.docker.compose.service=backend" | head -n1)
v=""; [ -n "$bid" ] && v=$(docker exec "$bid" curl -fsS -m 5 http://127.0.0.1:8080/version 2>/dev/null)
printf '"version":%s,' "${v:-null}"
# each integration's state from the backend (GET /integrations: no secrets); null when the backend does not answer it
ig=""; [ -n "$bid" ] && ig=$(docker exec "$bid" curl -fsS -m 5 http://127.0.0.1:8080/integrations 2>/dev/null)
case "$ig" in "["*) ;; *) ig="";; esac
printf '"integrations":%s,' "${ig:-null}"
cur=$(readlink "$dir/current" 2>/dev/null); printf '"current":"%s",' "${cur##*/}"
r=$(cat "$dir/current/release.json" 2>/dev/null); printf '"release":%s,' "${r:-null}"
a=$(tail -n 1 "$dir/audit.log" 2>/dev/null); printf '"last_audit":%s,' "${a:-null}"
if [ -d "$dir/lock" ]; then l=$(cat "$dir/lock/details.json" 2>/dev/null); printf '"lock":%s,' "${l:-{\}}"; else printf '"lock":null,'; fi
printf '"releases":['; ls -1 "$dir/releases" 2>/dev/null | sed 's/.*/"&"/' | paste -sd, | tr -d '\n'; printf '],'
du=$(du -sk "$dir" 2>/dev/null | cut -f1); df=$(df -Pk "$dir" 2>/dev/null | awk 'NR==2{print $4}')
droot=$(docker info -f "${lb}.DockerRootDir}}" 2>/dev/null); ddf=$(df -Pk "$droot" 2>/dev/null | awk 'NR==2{print $4}')
printf '"disk":{"client_dir_kb":%s,"client_fs_free_kb":%s,"docker_root":"%s","docker_root_free_kb":%s}}\n' "${du:-0}" "${df:-0}" "$droot" "${ddf:-0}"
