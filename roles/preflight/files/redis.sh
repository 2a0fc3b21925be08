#!/bin/bash
# Preflight: IMAGE HOST PORT DB TLS -> one JSON row {status, value, hint}. stdin: the password (first line, may be
# empty), then the CA (PEM) for verify-full. The external Redis checked from this server with redis-cli of our own
# image (docker run --rm --network host); the password reaches redis-cli as REDISCLI_AUTH inside the container only,
# never in argv. TLS as cache.tls.mode: "require" for --tls --insecure (encrypt, no verification, as the services),
# "verify-full" for --tls with the CA (the chain is checked here; redis-cli does not check the host name, the
# services do), else plain. IMAGE empty: any itbm/redis image on the server; without one only the TCP connection is
# checked.
image=$1; host=$2; port=$3; db=$4; tls=$5
IFS= read -r pw || true
ca=$(cat)
q() { printf '%s' "$1" | tr -d '"\\\n'; }
row() { printf '{"status": "%s", "value": "%s", "hint": "%s"}\n' "$1" "$(q "$2")" "$(q "$3")"; exit 0; }
[ -n "$image" ] || image=$(docker images --format '{{.Repository}}:{{.Tag}}' 2>/dev/null |
  grep -E '(^|/)itbm/redis:' | grep -v ':<none>$' | head -1)
if [ -z "$image" ]; then
  timeout 8 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null ||
    row fail "unreachable: no TCP connection to $host:$port" "open the firewall from this server to $host:$port"
  row warn "$host:$port reachable; credentials not checked (no itbm/redis image on this server yet)" \
    "run prepare again after the images are on the server (deploy pulls or loads them)"
fi
script='IFS= read -r p; if [ -n "$p" ]; then REDISCLI_AUTH=$p; export REDISCLI_AUTH; fi
ca=$(cat); if [ -n "$ca" ]; then printf "%s\n" "$ca" > /tmp/ca.pem; fi
case "$3" in
  require|tls) exec redis-cli -h "$0" -p "$1" -n "$2" --tls --insecure --sni "$0" ping ;;
  verify-full) if [ -n "$ca" ]; then exec redis-cli -h "$0" -p "$1" -n "$2" --tls --cacert /tmp/ca.pem --sni "$0" ping; fi
               exec redis-cli -h "$0" -p "$1" -n "$2" --tls --sni "$0" ping ;;
esac
exec redis-cli -h "$0" -p "$1" -n "$2" ping'
out=$({ printf '%s\n' "$pw"; [ "$tls" = verify-full ] && [ -n "$ca" ] && printf '%s\n' "$ca"; } |
  timeout 60 docker run --rm -i --network host --entrypoint sh "$image" -c "$script" "$host" "$port" "$db" "$tls" 2>&1)
rc=$?
first=$(printf '%s' "$out" | grep -v '^\s*$' | head -1 | cut -c1-160)
case "$out" in
  *"AUTH failed"*"without any password configured"*|*"AUTH"*"called without any password configured"*)
    row warn "reachable at $host:$port; it has no password, the configured one is not used" \
      "ask the customer to set requirepass on that Redis; without it anyone on the network can read the cache";;
  *WRONGPASS*|*"invalid password"*|*"invalid username-password"*|*"AUTH failed"*)
    row fail "reachable, but $host:$port refuses the password" "check the password cache.password refers to";;
  *NOAUTH*)
    row fail "reachable, but $host:$port needs a password and none is configured" "set cache.password in the client file";;
  *PONG*)
    row pass "Redis at $host:$port answers$([ -n "$pw" ] && echo ", password accepted")" "";;
  *SSL*|*certificate*|*"TLS"*)
    row fail "TLS to $host:$port failed ($first)" "check cache.tls (mode, ca) against the Redis server's TLS setup";;
  *"Could not connect"*|*"Connection refused"*|*"No route to host"*|*"Name or service not known"*|*"nodename nor servname"*)
    row fail "unreachable: $host:$port ($first)" "open the firewall from this server to $host:$port; is Redis listening there?";;
  *"Unable to find image"*|*"No such image"*)
    row fail "cannot run $image to check" "load the release's images first";;
esac
[ $rc -eq 124 ] && row fail "unreachable: no answer from $host:$port in 60 s" "open the firewall from this server to $host:$port"
row fail "check failed: $first" "run redis-cli -h $host -p $port ping from the server to see the whole message"
