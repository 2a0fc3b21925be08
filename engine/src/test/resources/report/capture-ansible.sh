#!/usr/bin/env bash
# Captures what the real ansible-playbook (default stdout callback) prints for the playbooks in ./ansible, so the
# ConsoleListener golden files (console-*.txt) are Ansible's own output, not ours.
#
#   capture-ansible.sh [OUT_DIR]     (default: this directory, i.e. it rewrites the golden files)
#
# Captured with ansible-core 2.14.18 (Debian 12 package). ConsoleFormatAnsibleIT re-runs this script into
# target/ and compares, so the goldens cannot silently drift from the installed Ansible.
#
# Determinism: -f 1 (hosts answer in inventory order), a fixed environment (env -i), files for the diff case in a
# fixed directory, and the one line ansible-playbook's CLI prints at -v about its config file is dropped (it is not
# callback output). Nothing else is edited.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here}"
mkdir -p "$out"
work=/tmp/budgetctl-ansible-capture
command -v ansible-playbook >/dev/null || { echo "ansible-playbook not installed" >&2; exit 1; }

reset_files() {
  rm -rf "$work" && mkdir -p "$work"
  printf 'a=1\nb=2\nc=3\nd=4\ne=5\nf=6\ng=7\nh=8\ni=9\nj=10\n' > "$work/app.conf"
  printf 'x=1' > "$work/nonl.conf"
}

# play NAME COLOR(0|1) ARGS...: runs ansible-playbook, writes $out/console-NAME.txt, ignores the exit code
play() {
  local name="$1" color="$2"; shift 2
  reset_files
  local -a envv=(PATH=/usr/bin:/bin HOME="$HOME" LANG=C.UTF-8 LC_ALL=C.UTF-8 ANSIBLE_NOCOWS=1
                 ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_RETRY_FILES_ENABLED=False ANSIBLE_CONFIG="$here/ansible/ansible.cfg")
  if [ "$color" = 1 ]; then envv+=(ANSIBLE_FORCE_COLOR=1); else envv+=(ANSIBLE_NOCOLOR=1); fi
  (cd "$here/ansible" && env -i "${envv[@]}" ansible-playbook -f 1 -i inventory.yml "$@" </dev/null 2>&1 || true) \
    | sed -E '1{/^(No config file found; using defaults|Using .* as config file)$/d}' > "$out/console-$name.txt"
}

play basic 0 basic.yml
play basic-color 1 basic.yml
play verbose 0 -v verbose.yml
play diff 0 --diff diff.yml
play diff-color 1 --diff diff.yml
play warnings 0 warnings.yml
play assert 0 assert.yml
rm -rf "$work"
ansible-playbook --version | sed -n 1p > "$out/ansible-version.txt"
