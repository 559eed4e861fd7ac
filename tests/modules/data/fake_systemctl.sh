#!/bin/sh
# a stand-in for systemctl: records its arguments in $FAKE_LOG; a unit's state is the files
# $FAKE_UNITS/NAME.active and NAME.enabled (present or not) and NAME.masked
echo "systemctl $*" >> "$FAKE_LOG"
args=""; for arg in "$@"; do case "$arg" in --*) ;; *) args="$args $arg" ;; esac; done
set -- $args
command="$1"; unit="$2"; dir="$FAKE_UNITS"
case "$command" in
  show)
    [ -e "$dir/$unit.known" ] || { echo "LoadState=not-found"; echo "ActiveState=inactive"; exit 0; }
    echo "LoadState=loaded"
    if [ -e "$dir/$unit.active" ]; then echo "ActiveState=active"; else echo "ActiveState=inactive"; fi
    if [ -e "$dir/$unit.masked" ]; then echo "UnitFileState=masked"; else echo "UnitFileState=disabled"; fi ;;
  is-enabled) [ -e "$dir/$unit.enabled" ] && { echo enabled; exit 0; }; echo disabled; exit 1 ;;
  start|restart|reload-or-restart) touch "$dir/$unit.active" ;;
  stop) rm -f "$dir/$unit.active" ;;
  enable) touch "$dir/$unit.enabled" ;;
  disable) rm -f "$dir/$unit.enabled" ;;
  mask) touch "$dir/$unit.masked" ;;
  unmask) rm -f "$dir/$unit.masked" ;;
esac
exit 0
