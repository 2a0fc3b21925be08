#!/bin/sh
# mounts.sh ITBM_DIR RELEASE [keep-ingress|update-ingress]: points what the new release's services mount at paths that stay the same while their
# content stays the same, and appends them to the release's .env as ITBM_MOUNT_* (deploy/compose/docker-compose.yml).
# Compose recreates a container when its configuration differs, and for a bind mount or a secret that is the host
# path, never the file's content: a per-release path would recreate every service on every release, a fixed path
# would keep a changed secret out of a running container. So each item (licence/, ingress/, each secrets/ file) is
# compared with what the running release mounts for it: equal (content, and owner and mode for files) -> the same
# path; otherwise a copy in ITBM_DIR/store named after this release. The ingress's tls/ is the server's, not the
# release's: ITBM_DIR/shared/tls, seeded once from the running release (budgetctl certs renew writes there).
# Run as root (the secrets are 0400 and owned by the services' users). Prints what it chose, one line per item.
set -eu
itbm="$1"; release="$2"; ingress_mode="${3:-keep-ingress}"
rel="$itbm/releases/$release"
store="$itbm/store"
running_env="$itbm/current/.env"
owner="$(stat -c %u:%g "$itbm/releases")"
[ -d "$store" ] || { mkdir -m 0700 "$store"; chown "$owner" "$store"; }

# envval NAME FILE: the last value .env file FILE gives NAME (empty when none or no file)
envval() { sed -n "s|^$1=||p" "$2" 2>/dev/null | tail -n 1; }

same() {
  if [ -d "$1" ]; then
    [ -d "$2" ] && diff -r -q "$1" "$2" >/dev/null 2>&1
  else
    [ -f "$2" ] && cmp -s "$1" "$2" && [ "$(stat -c %u:%g:%a "$1")" = "$(stat -c %u:%g:%a "$2")" ]
  fi
}

{
  echo
  echo "# what the services mount (budgetctl deploy; the same path while the content is the same)"
} >>"$rel/.env"
for item in licence ingress secrets/db_password secrets/redis_password secrets/postgres/db_password \
    secrets/redis/redis_password secrets/db_ca secrets/redis_ca secrets/portal_token secrets/smtp_password \
    secrets/oidc_client_secret secrets/oidc_ca secrets/onec_credentials; do
  [ -e "$rel/$item" ] || continue
  var="ITBM_MOUNT_$(printf '%s' "$item" | sed 's|^secrets/|secret/|' | tr 'a-z/' 'A-Z_')"
  prev="$(envval "$var" "$running_env")"
  if [ -n "$prev" ] && [ "${prev#"$store"/}" != "$prev" ] && same "$rel/$item" "$prev"; then
    path="$prev"; how=kept
  else
    path="$store/$(printf '%s' "$item" | tr / _)@$release"; how=new
    rm -rf "$path.new"
    cp -a "$rel/$item" "$path.new"
    mv -T "$path.new" "$path"
  fi
  echo "$var=$path" >>"$rel/.env"
  echo "$how ${path##*/}"
done

tls="$itbm/shared/tls"
if [ ! -d "$tls" ]; then
  mkdir -m 0755 "$tls.new"
  # the certificate the running release's ingress serves (files mode), when it kept it in its own tls/
  if [ -d "$itbm/current/tls" ]; then cp -a "$itbm/current/tls/." "$tls.new/"; fi
  chown "$owner" "$tls.new"
  mv -T "$tls.new" "$tls"
  echo "new shared/tls"
fi
echo "ITBM_MOUNT_TLS=$tls" >>"$rel/.env"

# The ingress keeps the image it runs while its configuration (the ingress item above) is kept: then an upgrade
# leaves the ingress container, and the connections it holds, alone; the new frontends and backends come in behind
# it (files/oneoff.sh). A changed ingress configuration, an image that is not on the server any more, or
# update-ingress (deploy -e itbm_ingress_update=true: a Caddy fix in the new frontend image) brings the ingress of the
# new version.
run_ingress="$(envval ITBM_INGRESS_VERSION "$running_env")"
[ -n "$run_ingress" ] || run_ingress="$(envval ITBM_VERSION "$running_env")"
prefix="$(envval ITBM_IMAGE_PREFIX "$rel/.env")"
if [ "$ingress_mode" = keep-ingress ] && [ -n "$run_ingress" ] && [ "$(envval ITBM_MOUNT_INGRESS "$rel/.env")" = "$(envval ITBM_MOUNT_INGRESS "$running_env")" ] \
    && docker image inspect "${prefix:-itbm}/frontend:$run_ingress" >/dev/null 2>&1; then
  sed -i "s|^ITBM_INGRESS_VERSION=.*|ITBM_INGRESS_VERSION=$run_ingress|" "$rel/.env"
  echo "kept ingress $run_ingress"
else
  echo "new ingress $(envval ITBM_INGRESS_VERSION "$rel/.env")"
fi
