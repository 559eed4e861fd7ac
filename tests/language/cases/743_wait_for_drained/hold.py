"""hold.py PORT SECONDS READY_FILE: listen on 127.0.0.1:PORT, hold one connection to it open for
SECONDS, then drop it without a TIME_WAIT (SO_LINGER 0), touching READY_FILE once it is up."""
import socket
import struct
import sys
import time

port, seconds, ready = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
linger = struct.pack("ii", 1, 0)
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", port))
listener.listen(1)
client = socket.create_connection(("127.0.0.1", port))
server, _ = listener.accept()
listener.close()
open(ready, "w").close()
time.sleep(seconds)
for sock in (client, server):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
    sock.close()
