#!/bin/sh
# make_repos.sh DIR: the repositories the case clones, with fixed dates so that commits are the same
# on every run: DIR/lib (a submodule's origin) and DIR/upstream (main and feature branches, an
# annotated tag v1, the submodule lib, and a commit reachable only from refs/meta/config).
set -e
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export GIT_AUTHOR_DATE="2024-01-01T00:00:00Z" GIT_COMMITTER_DATE="2024-01-01T00:00:00Z"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
cd "$1"
git init -q -b main lib
echo lib1 > lib/lib.txt
git -C lib add lib.txt && git -C lib commit -q -m lib1
git init -q -b main upstream
cd upstream
echo v1 > app.txt
git add app.txt && git commit -q -m one
git tag -a v1 -m "release 1"
git -c protocol.file.allow=always submodule add -q "$1/lib" lib
git commit -q -m "add lib"
git checkout -q -b feature && echo feature > app.txt && git commit -q -am feature && git checkout -q main
git checkout -q --orphan meta && git rm -rq --cached . && echo meta > meta.txt && git add meta.txt \
  && git commit -q -m meta && git update-ref refs/meta/config HEAD && git checkout -q -f main && git branch -D -q meta
git rev-parse refs/meta/config
