#!/bin/sh
# a fake rpm: records its arguments, keeps imported key ids in $FAKE_RPM_DB
echo "$(basename "$0") $*" >> "$FAKE_RPM_LOG"
db="$FAKE_RPM_DB"; touch "$db"
case "$1" in
  -q)
    if [ ! -s "$db" ]; then echo "package gpg-pubkey is not installed"; exit 1; fi
    while read -r id; do printf 'gpg-pubkey-%s-5f000000\n' "$id"; done < "$db"
    ;;
  --import)
    gpg --batch --with-colons --show-keys "$2" 2>/dev/null | awk -F: '$1=="pub"{print tolower(substr($5,9))}' >> "$db"
    ;;
  --erase|-e)
    shift; [ "$1" = "--allmatches" ] && shift
    id=$(echo "$1" | sed 's/^gpg-pubkey-//; s/-.*//')
    grep -v "^$id\$" "$db" > "$db.new"; mv "$db.new" "$db"
    ;;
esac
exit 0
