#!/bin/sh
# make_signed.sh DIR: a throwaway GnuPG home DIR/gnupg with one signing key, and DIR/upstream with a
# signed commit on main, a signed annotated tag v1, and a branch "unsigned" with an unsigned commit.
# Prints the key's fingerprint.
set -e
export GNUPGHOME="$1/gnupg" GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --pinentry-mode loopback --quick-gen-key 'Signer <t@example.com>' ed25519 sign never 2>/dev/null
fpr=$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" {print $10; exit}')
git init -q -b main "$1/upstream"
cd "$1/upstream"
git config user.signingkey "$fpr"
echo one > app.txt && git add app.txt && git commit -q -S -m one
git tag -s v1 -m "release 1"
git checkout -q -b unsigned && echo two > app.txt && git commit -q -am unsigned && git checkout -q main
echo "$fpr"
