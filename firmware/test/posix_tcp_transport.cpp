#include "posix_tcp_transport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

PosixTcpTransport::PosixTcpTransport(const char* ipv4_address, uint16_t port)
    : address_(ipv4_address), port_(port), fd_(-1) {}

PosixTcpTransport::~PosixTcpTransport() { close(); }

bool PosixTcpTransport::open() {
  close();
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return false;
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  if (inet_pton(AF_INET, address_, &addr.sin_addr) != 1 ||
      connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close();
    return false;
  }
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));  // small MQTT packets, no Nagle delay
  return true;
}

void PosixTcpTransport::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

int32_t PosixTcpTransport::write(const uint8_t* data, size_t length) {
  if (fd_ < 0) return -1;
  size_t sent = 0;
  while (sent < length) {
    const ssize_t n = send(fd_, data + sent, length - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    sent += static_cast<size_t>(n);
  }
  return static_cast<int32_t>(sent);
}

int32_t PosixTcpTransport::read(uint8_t* data, size_t capacity) {
  if (fd_ < 0) return -1;
  const ssize_t n = recv(fd_, data, capacity, MSG_DONTWAIT);
  if (n > 0) return static_cast<int32_t>(n);
  if (n == 0) return -1;  // orderly shutdown by the broker
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
  return -1;
}

uint32_t PosixTcpTransport::millis() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const uint64_t ms = static_cast<uint64_t>(ts.tv_sec) * 1000u + static_cast<uint64_t>(ts.tv_nsec) / 1000000u;
  return static_cast<uint32_t>(ms);  // wraps like Arduino's millis()
}
