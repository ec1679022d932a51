#include "mosquitto_broker.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

// Asks the kernel for a free port; another process could take it before
// mosquitto binds it, which start() then reports as a failed start.
uint16_t free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(addr);
  uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

bool port_accepts(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

}  // namespace

std::string find_program(const char* name) {
  std::string dirs = getenv("PATH") != NULL ? getenv("PATH") : "";
  dirs += ":/usr/sbin:/usr/local/sbin";  // mosquitto lives in sbin, often not on a user's PATH
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string candidate = dirs.substr(start, end - start) + "/" + name;
    if (end > start && access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

MosquittoBroker::MosquittoBroker() : port_(0), pid_(-1) {}

MosquittoBroker::~MosquittoBroker() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 200 && waitpid(pid_, &status, WNOHANG) == 0; ++i) usleep(10000);
    if (waitpid(pid_, &status, WNOHANG) == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
  }
  if (!dir_.empty()) {
    unlink((dir_ + "/mosquitto.conf").c_str());
    unlink((dir_ + "/mosquitto.log").c_str());
    rmdir(dir_.c_str());
  }
}

bool MosquittoBroker::start() {
  const std::string mosquitto = find_program("mosquitto");
  if (mosquitto.empty()) {
    error_ = "mosquitto not found";
    return false;
  }
  char dir_template[] = "/tmp/sf-mosquitto-XXXXXX";
  if (mkdtemp(dir_template) == NULL) {
    error_ = "mkdtemp failed";
    return false;
  }
  dir_ = dir_template;
  port_ = free_loopback_port();

  const std::string config_path = dir_ + "/mosquitto.conf";
  FILE* config = fopen(config_path.c_str(), "w");
  if (config == NULL) {
    error_ = "cannot write " + config_path;
    return false;
  }
  // Run as root, mosquitto drops to the "mosquitto" user after reading this
  // file: so no pid file or log file of its own, it logs to our pipe.
  fprintf(config,
          "listener %u 127.0.0.1\n"
          "allow_anonymous true\n"
          "persistence false\n"
          "log_dest stdout\n"
          "log_type all\n",
          static_cast<unsigned>(port_));
  fclose(config);

  const std::string log_path = dir_ + "/mosquitto.log";
  pid_ = fork();
  if (pid_ < 0) {
    error_ = "fork failed";
    return false;
  }
  if (pid_ == 0) {
    const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (log_fd >= 0) {
      dup2(log_fd, STDOUT_FILENO);
      dup2(log_fd, STDERR_FILENO);
    }
    execl(mosquitto.c_str(), "mosquitto", "-c", config_path.c_str(), static_cast<char*>(NULL));
    _exit(127);
  }

  for (int i = 0; i < 500; ++i) {  // up to 5 s
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      error_ = "mosquitto exited at start:\n" + log();
      return false;
    }
    if (port_accepts(port_)) return true;
    usleep(10000);
  }
  error_ = "mosquitto did not listen within 5 s:\n" + log();
  return false;
}

std::string MosquittoBroker::log() const {
  std::string text;
  FILE* f = fopen((dir_ + "/mosquitto.log").c_str(), "r");
  if (f == NULL) return text;
  char buf[512];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) text.append(buf, n);
  fclose(f);
  return text;
}

std::string MosquittoBroker::subscribe(const std::string& arguments) const {
  char port_text[8];
  snprintf(port_text, sizeof(port_text), "%u", static_cast<unsigned>(port_));
  const std::string command =
      find_program("mosquitto_sub") + " -h 127.0.0.1 -p " + port_text + " " + arguments + " 2>&1";
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == NULL) return "(popen failed)";
  char buf[512];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) output.append(buf, n);
  pclose(pipe);
  return output;
}
