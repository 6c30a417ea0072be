/* A Parley client in C: sign up, make a group, send a message, and read it back.
 * Usage: c_client SERVER_URL DATA_DIR USERNAME */
#include <stdio.h>
#include <string.h>

#include <parley/parley.h>

/* Runs one request, prints it and its answer; returns 1 when the answer is ok. */
static int run(parley_client* client, const char* request, char* out, size_t out_size) {
  char* answer = parley_client_execute(client, request);
  int ok = strncmp(answer, "{\"ok\":true", 10) == 0;
  printf("> %s\n< %s\n", request, answer);
  if (out) snprintf(out, out_size, "%s", answer);
  parley_string_free(answer);
  return ok;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s SERVER_URL DATA_DIR USERNAME\n", argv[0]);
    return 2;
  }
  char options[1024], request[1024], answer[65536];
  snprintf(options, sizeof options, "{\"server\":\"%s\",\"data_dir\":\"%s\"}", argv[1], argv[2]);
  char* error = NULL;
  parley_client* client = parley_client_open(options, &error);
  if (!client) {
    fprintf(stderr, "cannot open the client: %s\n", error);
    parley_string_free(error);
    return 1;
  }

  snprintf(request, sizeof request, "{\"type\":\"register\",\"username\":\"%s\",\"password\":\"a long password\"}", argv[3]);
  int ok = run(client, request, NULL, 0) && run(client, "{\"type\":\"connect\"}", NULL, 0) &&
           run(client, "{\"type\":\"wait_online\",\"timeout_ms\":10000}", answer, sizeof answer) &&
           strstr(answer, "\"online\":true") != NULL &&
           run(client, "{\"type\":\"create_group\",\"name\":\"From C\"}", answer, sizeof answer);

  /* The room id is in the answer: {"ok":true,"data":{"id":N,...}} */
  long room = 0;
  const char* id = ok ? strstr(answer, "\"id\":") : NULL;
  if (id) sscanf(id + 5, "%ld", &room);
  if (ok && room > 0) {
    snprintf(request, sizeof request, "{\"type\":\"send_text\",\"room_id\":%ld,\"text\":\"hello from C\"}", room);
    ok = run(client, request, NULL, 0) && run(client, "{\"type\":\"wait_outbox_empty\",\"timeout_ms\":10000}", answer, sizeof answer) &&
         strstr(answer, "\"empty\":true") != NULL;
    snprintf(request, sizeof request, "{\"type\":\"messages\",\"room_id\":%ld}", room);
    ok = ok && run(client, request, answer, sizeof answer) && strstr(answer, "hello from C") != NULL;
  } else {
    ok = 0;
  }

  /* Updates that arrived meanwhile: connection state, the room, the message going out. */
  char* update;
  int updates = 0;
  while ((update = parley_client_receive(client, 0.2)) != NULL) {
    printf("update: %s\n", update);
    parley_string_free(update);
    ++updates;
  }
  parley_client_close(client);
  printf(ok && updates > 0 ? "done\n" : "FAILED\n");
  return ok && updates > 0 ? 0 : 1;
}
