echo "shell is $(basename "$0"), arg $1, bash ${BASH_VERSION:+yes}"
