#!/bin/sh
# a stand-in for dnf and rpm: records its arguments in $FAKE_LOG; the installed packages are the lines of
# $FAKE_INSTALLED, the packages with an update those of $FAKE_UPDATES
echo "$(basename "$0") $*" >> "$FAKE_LOG"
touch "$FAKE_INSTALLED" "$FAKE_UPDATES"
names() { for arg in "$@"; do case "$arg" in -*) ;; *) echo "$arg" ;; esac; done; }
case "$(basename "$0")" in
  rpm)
    [ "$1" = "-q" ] || exit 0
    last=""; for arg in "$@"; do last="$arg"; done
    grep -qx "$last" "$FAKE_INSTALLED" && { echo "$last-1.0-1.x86_64"; exit 0; }
    echo "package $last is not installed"; exit 1 ;;
  dnf|dnf5)
    command="$1"; shift
    case "$command" in
      install|upgrade) names "$@" | sed 's#.*/##; s#-[0-9].*\.rpm$##' >> "$FAKE_INSTALLED" ;;
      remove) for name in $(names "$@"); do grep -vx "$name" "$FAKE_INSTALLED" > "$FAKE_INSTALLED.new"
                mv "$FAKE_INSTALLED.new" "$FAKE_INSTALLED"; done ;;
      check-update)
        found=1; for name in $(names "$@"); do
          grep -qx "$name" "$FAKE_UPDATES" && { echo "$name.x86_64  2.0-1  updates"; found=0; }; done
        [ $found = 0 ] && exit 100; exit 0 ;;
      list) echo "Installed Packages"; sed 's/$/.x86_64  1.0-1  @System/' "$FAKE_INSTALLED" ;;
    esac ;;
esac
exit 0
