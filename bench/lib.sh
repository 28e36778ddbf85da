# Shared by the bench scripts (sourced, not run): loopback ports and the
# dnsplane listeners a bench does not measure.

# A loopback port free for TCP and UDP now.
free_port() {
    /usr/bin/python3 -c 'import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass'
}

# The webhook (8888) and health (8080) listeners are on by default; a bench
# server must not take those fixed ports. Through the environment, so that
# older binaries, which know no such flags, run unchanged.
export DNSPLANE_WEBHOOK_LISTEN="" DNSPLANE_HEALTH_LISTEN=""
