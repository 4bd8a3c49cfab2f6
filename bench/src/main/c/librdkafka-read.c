/*
 * librdkafka's read rate without Python: scripts/librdkafka-read in C, for machines whose Python
 * has no confluent_kafka and cannot fetch it (the device tool's). The same consumer settings
 * (librdkafka's defaults, group "bench", no commits), the same passes and the same output lines,
 * so scripts/bench reads either. It reads each message's length and no more, as the script does.
 *
 * build: cc -O2 -o librdkafka-read librdkafka-read.c -lrdkafka   (Debian: librdkafka-dev)
 * usage: librdkafka-read BROKERS TOPIC [PASSES]
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void fail(const char *what, const char *why) {
  fprintf(stderr, "read failed: %s: %s\n", what, why);
  exit(1);
}

static double seconds_now(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

/* One pass with a consumer of its own, connected before the clock starts (see the script). */
static void read_pass(const char *brokers, const char *topic, int pass) {
  char error[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "bootstrap.servers", brokers, error, sizeof error) ||
      rd_kafka_conf_set(conf, "group.id", "bench", error, sizeof error) ||
      rd_kafka_conf_set(conf, "enable.auto.commit", "false", error, sizeof error)) {
    fail("configuration", error);
  }
  rd_kafka_t *consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
  if (!consumer) {
    fail("consumer", error);
  }
  int64_t low, high;
  rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(consumer, topic, 0, &low, &high, 30000);
  if (err) {
    fail("watermark offsets", rd_kafka_err2str(err));
  }
  rd_kafka_topic_partition_list_t *partitions = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(partitions, topic, 0)->offset = low;
  if ((err = rd_kafka_assign(consumer, partitions))) {
    fail("assign", rd_kafka_err2str(err));
  }
  int64_t messages = 0, bytes = 0;
  double begin = seconds_now();
  while (messages < high - low) {
    rd_kafka_message_t *message = rd_kafka_consumer_poll(consumer, 1000);
    if (!message) {
      continue;
    }
    if (message->err) {
      fail("message", rd_kafka_message_errstr(message));
    }
    messages++;
    bytes += message->len;
    rd_kafka_message_destroy(message);
  }
  printf("pass=%d seconds=%.6f messages=%lld bytes=%lld\n", pass, seconds_now() - begin,
         (long long)messages, (long long)bytes);
  fflush(stdout);
  rd_kafka_topic_partition_list_destroy(partitions);
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s BROKERS TOPIC [PASSES]\n", argv[0]);
    return 2;
  }
  const char *topic = argv[2];
  int passes = argc > 3 ? atoi(argv[3]) : 2;
  for (int pass = 1; pass <= passes; pass++) {
    read_pass(argv[1], topic, pass);
  }
  return 0;
}
