#!/bin/bash
# Preflight: CERT KEY DOMAIN WARN_DAYS -> one JSON row {status, value, hint} about the customer's own certificate
# (ingress TLS "files"). Runs where the files are (the controller or the server); needs openssl. Read-only; nothing
# from the key is printed.
cert=$1; key=$2; domain=$3; days=$4
q() { printf '%s' "$1" | tr -d '"\\\n'; }
row() { printf '{"status": "%s", "value": "%s", "hint": "%s"}\n' "$1" "$(q "$2")" "$(q "$3")"; exit 0; }
command -v openssl >/dev/null || row fail "openssl is not installed, cannot read $cert" "install openssl"
[ -e "$cert" ] || row fail "no certificate at $cert" \
  "before the first deploy check the files themselves: budgetctl prepare --cert cert.pem --key key.pem; after it the server's shared/tls (or the release's tls/) holds them"
[ -r "$cert" ] || row fail "$cert is not readable" "let the deploy user read it"
openssl x509 -in "$cert" -noout 2>/dev/null || row fail "$cert is not a PEM certificate" \
  "convert it to PEM (openssl x509 -inform der -in cert.der -out cert.pem); the full chain, server certificate first"
[ -r "$key" ] || row fail "no readable key at $key" "put the private key (PEM, unencrypted) beside the certificate"
kpub=$(openssl pkey -in "$key" -pubout -passin pass: 2>/dev/null) ||
  row fail "the key $key is not an unencrypted PEM private key" \
  "remove its passphrase: openssl pkey -in key.pem -out key-plain.pem"
cpub=$(openssl x509 -in "$cert" -noout -pubkey)
[ "$cpub" = "$kpub" ] || row fail "the key does not match the certificate" \
  "use the key the certificate was requested with (the CSR's key), or have it reissued"
nb=$(openssl x509 -in "$cert" -noout -startdate | cut -d= -f2)
na=$(openssl x509 -in "$cert" -noout -enddate | cut -d= -f2)
now=$(date +%s); nbs=$(date -d "$nb" +%s); nas=$(date -d "$na" +%s)
[ "$now" -ge "$nbs" ] || row fail "not valid before $nb" "check the server's clock, or wait; the certificate is not valid yet"
[ "$now" -lt "$nas" ] || row fail "expired on $na" "get a renewed certificate from the customer: budgetctl certs renew"
names=$(openssl x509 -in "$cert" -noout -ext subjectAltName 2>/dev/null | tail -n +2 | tr -d ' ' | tr '\n' ',')
if [ -n "$domain" ]; then
  openssl x509 -in "$cert" -noout -checkhost "$domain" 2>/dev/null | grep -q 'does match' ||
    row fail "not valid for $domain (names: ${names%,})" "have it issued for $domain, or correct the domain"
fi
left=$(( (nas - now) / 86400 ))
[ "$left" -ge "$days" ] || row warn "expires in $left days ($na)" \
  "ask the customer for a renewed certificate, then budgetctl certs renew"
row pass "valid for $left more days${domain:+, covers $domain}" ""
