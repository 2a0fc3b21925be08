#!/bin/bash
# Preflight: DOMAIN [ADDRESS...] -> one JSON row {status, value, hint}. Read-only.
# Does DOMAIN resolve, with this host's own resolver (/etc/hosts, DNS), to one of this host's addresses? ADDRESS...
# are more addresses that count as this server's (the address budgetctl connects to: a public NAT address is not on
# any interface). Loopback addresses never count: browsers elsewhere cannot reach them.
domain=$1; shift
q() { printf '%s' "$1" | tr -d '"\\\n'; }
row() { printf '{"status": "%s", "value": "%s", "hint": "%s"}\n' "$1" "$(q "$2")" "$(q "$3")"; exit 0; }
loopback() { case "$1" in 127.*|::1|0:0:0:0:0:0:0:1) return 0;; *) return 1;; esac; }
resolved=$(getent ahosts "$domain" 2>/dev/null | awk '{print $1}' | sort -u)
[ -n "$resolved" ] || row fail "$domain does not resolve" \
  "create the DNS record: $domain A/AAAA -> this server's public address (check: getent ahosts $domain on the server)"
own=$({ hostname -I 2>/dev/null | tr ' ' '\n'
        ip -o addr show 2>/dev/null | awk '{sub(/\/.*/, "", $4); print $4}'
        for a in "$@"; do getent ahosts "$a" 2>/dev/null | awk '{print $1}'; done; } | grep -v '^$' | sort -u)
list=$(printf '%s' "$resolved" | tr '\n' ' ')
mine=""; elsewhere=""; lo=""
for r in $resolved; do
  if loopback "$r"; then lo="$lo $r"
  elif printf '%s\n' "$own" | grep -qxF "$r"; then mine="$mine $r"
  else elsewhere="$elsewhere $r"; fi
done
[ -n "$mine" ] && row pass "$domain -> ${list% } (this server)" ""
[ -n "$elsewhere" ] && row warn "$domain -> ${list% }, not an address of this server" \
  "fine when a proxy or load balancer of the customer forwards to this server; otherwise point the DNS record at this server"
row warn "$domain -> ${list% } (loopback only)" \
  "an /etc/hosts entry points $domain at loopback; other machines cannot reach it: fix /etc/hosts or DNS"
