#!/bin/bash
# Preflight: REGISTRY USER -> one JSON row {status, value, hint}. stdin: the pull password (first line), then the
# registry's CA (PEM) when one is configured. Can this server reach the registry, and does `docker login` work with
# the customer's pull account? The login goes to a throw-away DOCKER_CONFIG, so nothing is stored on the server; the
# password travels on stdin only (never in argv, never printed).
reg=$1; user=$2
IFS= read -r pw || true
ca=$(cat)
q() { printf '%s' "$1" | tr -d '"\\\n'; }
row() { printf '{"status": "%s", "value": "%s", "hint": "%s"}\n' "$1" "$(q "$2")" "$(q "$3")"; exit 0; }
case "$reg" in
  *:*) host=${reg%:*}; port=${reg##*:};;
  *) host=$reg; port=443;;
esac
[ -n "$pw" ] || row fail "no pull password for $user" \
  "set the customer's pull password: registry.password in the client file (a SOPS/Vault reference; or BUDGETCTL_REGISTRY_PASSWORD, -e itbm_registry_password=...)"
getent ahosts "$host" >/dev/null 2>&1 || row fail "unreachable: $host does not resolve on this server" \
  "check the server's DNS, or use the registry's address; a server without internet access needs image source bundle"
timeout 8 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null ||
  row fail "unreachable: no TCP connection to $host:$port" \
  "open the firewall/proxy from this server to $host:$port (test: curl -v https://$reg/v2/), or use image source bundle"
certs=/etc/docker/certs.d/$reg/ca.crt
if [ -n "$ca" ] && ! { [ -r "$certs" ] && [ "$(cat "$certs")" = "$ca" ]; }; then
  # the CA that deploy installs is not there yet: check TLS with it, and say that the login is checked after deploy
  f=$(mktemp); printf '%s\n' "$ca" >"$f"
  out=$(timeout 15 openssl s_client -connect "$host:$port" -servername "$host" -CAfile "$f" -verify_return_error \
        </dev/null 2>&1); rc=$?; rm -f "$f"
  [ $rc -eq 0 ] || row fail "TLS: $host:$port does not verify with the configured CA ($(printf '%s' "$out" |
    grep -m1 -o 'verify error:[^)]*' || echo handshake failed))" "itbm_registry_ca must be the CA that issued the registry's certificate"
  row warn "reachable, TLS verifies with the configured CA; login not tried (CA not installed in $certs yet)" \
    "deploy installs the CA and logs in; or install it now (sudo install -D ca.crt $certs) and run prepare again"
fi
cfg=$(mktemp -d); trap 'rm -rf "$cfg"' EXIT
out=$(printf '%s\n' "$pw" | DOCKER_CONFIG=$cfg timeout 90 docker login --username "$user" --password-stdin "$reg" 2>&1); rc=$?
[ $rc -eq 0 ] && row pass "reachable, login as $user works" ""
first=$(printf '%s' "$out" | grep -v -i 'warning' | tail -1 | cut -c1-160)
case "$out" in
  *"permission denied while trying to connect"*|*"Cannot connect to the Docker daemon"*)
    row fail "cannot use Docker to log in" "fix the Docker engine check first";;
  *x509*|*certificate*|*"tls:"*|*"TLS handshake"*|*"HTTP response to HTTPS client"*)
    row fail "TLS: the registry's certificate is not trusted ($first)" \
      "set itbm_registry_ca to the registry's CA (deploy installs it into $certs), or install that file now";;
  *unauthorized*|*Unauthorized*|*"401"*|*"incorrect username or password"*|*denied*)
    row fail "reachable, but login as $user is refused (wrong credentials)" \
      "check the pull account: user $user and its password (registry.password in the client file); the vendor can reset it";;
  *"connection refused"*|*"no such host"*|*timeout*|*"no route to host"*|*"i/o timeout"*)
    row fail "unreachable from the Docker engine ($first)" \
      "dockerd may use a proxy of its own (systemctl show docker -p Environment); open the way to $reg";;
esac
[ $rc -eq 124 ] && row fail "docker login timed out after 90 s" "check the network between this server and $reg"
row fail "login failed: $first" "run docker login $reg on the server to see the whole message"
