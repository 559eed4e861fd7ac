#!/bin/sh
# a stand-in for svn: records its arguments in $FAKE_LOG; the repository's newest revision is $FAKE_SVN_HEAD;
# a working copy is a directory with .svn/url and .svn/rev (and .svn/modified listing local changes)
echo "svn $*" >> "$FAKE_LOG"
args=""; skip=""
for arg in "$@"; do
  if [ -n "$skip" ]; then skip=""; continue; fi
  case "$arg" in --username) skip=1 ;; --*) ;; *) args="$args $arg" ;; esac
done
set -- $args
resolve() { case "$1" in HEAD) echo "$FAKE_SVN_HEAD" ;; *) echo "$1" ;; esac; }
command="$1"; shift
case "$command" in
  info)
    if [ -d "$1/.svn" ]; then printf 'Path: %s\nURL: %s\nRevision: %s\n' "$1" "$(cat "$1/.svn/url")" "$(cat "$1/.svn/rev")"
    else case "$1" in *://*) url="${1%@*}"; rev="${1##*@}"; [ "$rev" = "$1" ] && rev=HEAD
      printf 'Path: x\nURL: %s\nRevision: %s\n' "$url" "$(resolve "$rev")" ;; *) echo "svn: E155007: not a working copy" >&2; exit 1 ;; esac; fi ;;
  checkout) [ "$1" = "-r" ] && { rev="$2"; shift 2; }; mkdir -p "$2/.svn"; echo "$1" > "$2/.svn/url"; resolve "$rev" > "$2/.svn/rev" ;;
  export) [ "$1" = "-r" ] && shift 2; mkdir -p "$2"; echo "$1" > "$2/exported" ;;
  status) cat "$1/.svn/modified" 2>/dev/null ;;
  revert) rm -f "$2/.svn/modified" ;;
  update) [ "$1" = "-r" ] && { rev="$2"; shift 2; }; resolve "$rev" > "$1/.svn/rev" ;;
  switch) [ "$1" = "-r" ] && shift 2; echo "$1" > "$2/.svn/url" ;;
esac
exit 0
