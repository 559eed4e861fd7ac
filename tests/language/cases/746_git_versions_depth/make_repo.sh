#!/bin/sh
# make_repo.sh DIR: DIR/upstream with fixed dates (the same commits on every run): three commits on
# main, an annotated tag v1 on the first, a lightweight tag v2 on the second, a branch feature.
set -e
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export GIT_AUTHOR_DATE="2024-01-01T00:00:00Z" GIT_COMMITTER_DATE="2024-01-01T00:00:00Z"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
git init -q -b main "$1/upstream"
cd "$1/upstream"
echo one > app.txt && git add app.txt && git commit -q -m one && git tag -a v1 -m v1
echo two > app.txt && git commit -q -am two && git tag v2
git checkout -q -b feature && echo feature > app.txt && git commit -q -am feature && git checkout -q main
echo three > app.txt && git commit -q -am three
