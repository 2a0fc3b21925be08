#!/bin/sh
# Controller side, before anything is sent to the host: CERT KEY DOMAIN DAYS. Prints one line:
#   ok <sha256 fingerprint> <notAfter>      or      problem: <what is wrong>
cert=$1; key=$2; domain=$3; days=$4
[ -r "$cert" ] || { echo "problem: the certificate file $cert is not readable"; exit 0; }
[ -r "$key" ] || { echo "problem: the key file is not readable ($key)"; exit 0; }
openssl x509 -in "$cert" -noout 2>/dev/null || { echo "problem: $cert is not a PEM certificate"; exit 0; }
cpub=$(openssl x509 -in "$cert" -noout -pubkey 2>/dev/null)
kpub=$(openssl pkey -in "$key" -pubout 2>/dev/null) || { echo "problem: the key is not a readable unencrypted PEM private key"; exit 0; }
[ "$cpub" = "$kpub" ] || { echo "problem: the key does not match the certificate (different public keys)"; exit 0; }
end=$(openssl x509 -in "$cert" -noout -enddate | cut -d= -f2)
openssl x509 -in "$cert" -noout -checkend $((days * 86400)) >/dev/null ||
  { echo "problem: the certificate expires $end, less than $days days from now"; exit 0; }
openssl x509 -in "$cert" -noout -checkend 0 >/dev/null 2>&1 || true
nb=$(openssl x509 -in "$cert" -noout -startdate | cut -d= -f2)
[ "$(date -d "$nb" +%s)" -le "$(date +%s)" ] || { echo "problem: the certificate is not valid before $nb"; exit 0; }
if [ -n "$domain" ]; then
  openssl x509 -in "$cert" -noout -checkhost "$domain" | grep -q 'does match' ||
    { echo "problem: the certificate is not valid for $domain"; exit 0; }
fi
fp=$(openssl x509 -in "$cert" -noout -fingerprint -sha256 | cut -d= -f2)
echo "ok $fp $end"
