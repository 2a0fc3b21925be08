#!/bin/sh
# prints its arguments one per line (and the working directory when asked: "here"), something on stderr
for a in "$@"; do printf 'arg=[%s]\n' "$a"; done
[ "$1" = "here" ] && printf 'pwd=%s\n' "$(pwd)"
echo "to stderr" >&2
[ "$1" = "fail" ] && exit 4
exit 0
