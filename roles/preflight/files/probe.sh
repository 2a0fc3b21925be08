#!/bin/bash
# Preflight probe (roles/preflight): read-only; prints one JSON object. 
# Arguments: the controller's clock (epoch seconds, taken just before), then the TCP ports to check.
# A missing tool gives an empty value, never a failure.
now=$(date +%s); skew=$((now - $1)); skew=${skew#-}; shift
q() { printf '%s' "$1" | tr -d '"\\\n'; }
root=$(docker info --format '{{.DockerRootDir}}' 2>/dev/null || true)
server=$(docker version --format '{{.Server.Version}}' 2>/dev/null || true)
sudo_only=false
if [ -z "$server" ] && command -v docker >/dev/null; then
  # running, but not for this user (not in group docker yet)?
  server=$(sudo -n docker version --format '{{.Server.Version}}' 2>/dev/null || true)
  [ -n "$server" ] && sudo_only=true
  [ -n "$root" ] || root=$(sudo -n docker info --format '{{.DockerRootDir}}' 2>/dev/null || true)
fi
client=$(docker --version 2>/dev/null | sed -n 's/^Docker version \([^ ,]*\).*/\1/p')
v2=$(docker compose version --short 2>/dev/null || true)
v1=$(docker-compose version --short 2>/dev/null || true)
d=${root:-/var/lib/docker}; while [ ! -e "$d" ]; do d=$(dirname "$d"); done
o=/opt; while [ ! -e "$o" ]; do o=$(dirname "$o"); done
ddisk=$(df -Pk "$d" | awk 'NR==2 {printf "%d", $4/1048576}')
odisk=$(df -Pk "$o" | awk 'NR==2 {printf "%d", $4/1048576}')
ports=""
for p in "$@"; do
  hex=$(printf ':%04X' "$p")
  if awk -v h="$hex" '$4 == "0A" && substr($2, length($2) - 4) == h {f=1} END {exit !f}' /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
    holder=$(docker ps --filter "publish=$p" --format '{{.Names}} {{.Label "com.docker.compose.project"}}' 2>/dev/null | head -1)
    ports="$ports\"$p\": {\"listening\": true, \"holder\": \"$(q "$holder")\"},"
  else
    ports="$ports\"$p\": {\"listening\": false, \"holder\": \"\"},"
  fi
done
ntp=$(timedatectl show -p NTPSynchronized --value 2>/dev/null || true)
printf '{"docker_root": "%s", "docker_server": "%s", "docker_client": "%s", "compose_v2": "%s", "compose_v1": "%s", "docker_disk_path": "%s", "docker_disk_gb": %s, "opt_disk_gb": %s, "ports": {%s}, "ntp": "%s", "clock_skew_s": %s, "docker_sudo_only": %s}\n' \
  "$(q "$root")" "$(q "$server")" "$(q "$client")" "$(q "$v2")" "$(q "$v1")" "$(q "$d")" "${ddisk:-0}" "${odisk:-0}" \
  "${ports%,}" "$(q "$ntp")" "$skew" "$sudo_only"
