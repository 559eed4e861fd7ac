#!/bin/sh
# A stand-in for libuser's commands (luseradd, lusermod, luserdel, lgroupadd, lgroupmod, lgroupdel,
# lchage), installed under those names: it appends its name and arguments to /var/log/libuser-calls
# and makes the same change with shadow-utils, so that a following task sees it.
name=$(basename "$0")
echo "$name $*" >> /var/log/libuser-calls
case "$name" in
    luseradd)
        args=""; home="-m"
        for arg in "$@"; do
            case "$arg" in
                -n) arg="-N" ;;
                -M) home="" ;;
            esac
            args="$args '$arg'"
        done
        eval "exec useradd $home $args" ;;
    lusermod)
        [ "$1" = "--help" ] && { echo "  -L, --lock"; exit 0; }
        exec usermod "$@" ;;
    luserdel) exec userdel "$@" ;;
    lgroupadd) exec groupadd "$@" ;;
    lgroupdel) exec groupdel "$@" ;;
    lgroupmod)
        case "$1" in
            -M) exec gpasswd -a "$2" "$3" >/dev/null ;;
            -m) exec gpasswd -d "$2" "$3" >/dev/null ;;
            *) exec groupmod "$@" ;;
        esac ;;
    lchage) exec chage "$@" ;;
esac
exit 1
