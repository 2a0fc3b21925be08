#!/bin/sh
# On the host: the SHA-256 fingerprint of the certificate served at HOST:PORT for SNI name. Prints it, or exit 1.
#   served.sh HOST PORT SNI
out=$(openssl s_client -connect "$1:$2" -servername "$3" </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 2>/dev/null) ||
  { echo "no certificate served at $1:$2 for $3" >&2; exit 1; }
echo "${out#*=}"
