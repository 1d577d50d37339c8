/* The example service: a static HTTP server with /healthz, /ready and /metrics (Prometheus text).
 * Small enough to read in one go, static so the image can be FROM scratch, no libraries. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ROUTES 4
static const char *paths[ROUTES] = {"/healthz", "/ready", "/metrics", "other"};
static unsigned long requests[ROUTES][2]; /* [route][0: 2xx, 1: other] */
static const double bounds[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
#define NB (sizeof bounds / sizeof bounds[0])
static unsigned long buckets[ROUTES][NB];
static double duration_sum[ROUTES];
static time_t started;
static int ready_delay;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void respond(int fd, int code, const char *type, const char *body) {
  char head[256];
  const char *reason = code == 200 ? "OK" : code == 503 ? "Service Unavailable" : "Not Found";
  int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", code, reason, type, strlen(body));
  if (write(fd, head, n) < 0 || write(fd, body, strlen(body)) < 0) perror("write");
}

static void metrics(char *out, size_t size) {
  size_t n = snprintf(out, size, "# HELP http_requests_total Requests served, by path and status class.\n# TYPE http_requests_total counter\n");
  for (int r = 0; r < ROUTES; r++)
    for (int c = 0; c < 2; c++)
      n += snprintf(out + n, size - n, "http_requests_total{path=\"%s\",code=\"%s\"} %lu\n", paths[r], c ? "other" : "2xx", requests[r][c]);
  n += snprintf(out + n, size - n, "# HELP http_request_duration_seconds Time to answer a request.\n# TYPE http_request_duration_seconds histogram\n");
  for (int r = 0; r < ROUTES; r++) {
    unsigned long total = requests[r][0] + requests[r][1];
    for (size_t b = 0; b < NB; b++)
      n += snprintf(out + n, size - n, "http_request_duration_seconds_bucket{path=\"%s\",le=\"%g\"} %lu\n", paths[r], bounds[b], buckets[r][b]);
    n += snprintf(out + n, size - n, "http_request_duration_seconds_bucket{path=\"%s\",le=\"+Inf\"} %lu\n", paths[r], total);
    n += snprintf(out + n, size - n, "http_request_duration_seconds_sum{path=\"%s\"} %.6f\nhttp_request_duration_seconds_count{path=\"%s\"} %lu\n", paths[r], duration_sum[r], paths[r], total);
  }
  snprintf(out + n, size - n, "# HELP process_start_time_seconds Start time of the process since the epoch.\n# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds %ld\n", (long)started);
}

static void handle(int fd) {
  char req[2048] = {0}, method[16] = {0}, path[1024] = {0};
  static char body[16384];
  double t0 = now();
  if (read(fd, req, sizeof req - 1) <= 0 || sscanf(req, "%15s %1023s", method, path) != 2) return;
  char *q = strchr(path, '?');
  if (q) *q = 0;
  int route = 3, code = 200;
  if (!strcmp(path, "/healthz")) {
    route = 0;
    respond(fd, 200, "application/json", "{\"status\":\"ok\"}");
  } else if (!strcmp(path, "/ready")) {
    route = 1;
    int ok = time(NULL) - started >= ready_delay;
    code = ok ? 200 : 503;
    respond(fd, code, "application/json", ok ? "{\"ready\":true}" : "{\"ready\":false}");
  } else if (!strcmp(path, "/metrics")) {
    route = 2;
    metrics(body, sizeof body);
    respond(fd, 200, "text/plain; version=0.0.4; charset=utf-8", body);
  } else if (!strcmp(path, "/")) {
    respond(fd, 200, "text/plain", "example app\n");
  } else {
    code = 404;
    respond(fd, 404, "text/plain", "not found\n");
  }
  double d = now() - t0;
  requests[route][code / 100 == 2 ? 0 : 1]++;
  duration_sum[route] += d;
  for (size_t b = 0; b < NB; b++)
    if (d <= bounds[b]) buckets[route][b]++;
}

int main(void) {
  const char *port = getenv("PORT");
  const char *fail = getenv("FAIL_ON_START");
  if (fail && *fail) {
    /* A deliberately broken release for end-to-end tests: exits at once, so the pod crash-loops. */
    fprintf(stderr, "FAIL_ON_START is set: exiting with status 1\n");
    return 1;
  }
  const char *delay = getenv("READY_DELAY_SECONDS");
  ready_delay = delay ? atoi(delay) : 0;
  started = time(NULL);
  signal(SIGPIPE, SIG_IGN);
  int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port ? atoi(port) : 8080), .sin_addr.s_addr = htonl(INADDR_ANY)};
  if (bind(s, (struct sockaddr *)&addr, sizeof addr) || listen(s, 64)) {
    perror("listen");
    return 1;
  }
  printf("listening on :%d\n", ntohs(addr.sin_port));
  fflush(stdout);
  for (;;) {
    int c = accept(s, NULL, NULL);
    if (c < 0) continue;
    handle(c);
    close(c);
  }
}
