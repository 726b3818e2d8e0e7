#include <stddef.h>
int net_send_all(int fd, const char *buf, size_t len);
int net_send_line(int fd, const char *line, size_t len);
size_t net_format(char *out, size_t cap, int code);
void net_check(int ok);
int net_accept(int lfd);
void net_log_warn(const char *msg);
struct sockaddr;
int net_open_udp(const struct sockaddr *peer, unsigned len);
int net_open_tcp(const struct sockaddr *peer, unsigned len);
int net_open_async(const struct sockaddr *peer, unsigned len);
