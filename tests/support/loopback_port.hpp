#pragma once
// Loopback ports for the servers the tests start (parleyd, PostgreSQL, NATS).
namespace parley::test {

// A port nobody listens on now: the kernel picks it for a socket bound to port 0, which is
// closed again so that a server can bind it. Another process could take it in between; the
// callers notice (the server exits or never answers) and say so.
[[nodiscard]] int free_loopback_port();

// True when something accepts a TCP connection on 127.0.0.1:port right now.
[[nodiscard]] bool loopback_port_accepts(int port);

}  // namespace parley::test
