/* A C program built against an installed SDK: signs up, signs in, sends a message with
 * parley_client_send and receives it back as an update. Usage: round_trip SERVER DATA_DIR USERNAME */
#include <stdio.h>
#include <string.h>

#include <parley/parley.h>

static int ok(parley_client* client, const char* request, char* out, size_t out_size) {
  char* answer = parley_client_execute(client, request);
  int good = answer && strncmp(answer, "{\"ok\":true", 10) == 0;
  if (!good) fprintf(stderr, "%s answered %s\n", request, answer ? answer : "NULL");
  if (answer && out) snprintf(out, out_size, "%s", answer);
  parley_string_free(answer);
  return good;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s SERVER DATA_DIR USERNAME\n", argv[0]);
    return 2;
  }
  printf("libparley %s\n", parley_version());
  char options[1024], request[1024], answer[65536];
  snprintf(options, sizeof options, "{\"server\":\"%s\",\"data_dir\":\"%s\"}", argv[1], argv[2]);
  char* error = NULL;
  parley_client* client = parley_client_open(options, &error);
  if (!client) {
    fprintf(stderr, "cannot open: %s\n", error);
    parley_string_free(error);
    return 1;
  }
  snprintf(request, sizeof request, "{\"type\":\"register\",\"username\":\"%s\",\"password\":\"a long password\"}", argv[3]);
  int good = ok(client, request, NULL, 0) && ok(client, "{\"type\":\"logout\"}", NULL, 0);
  snprintf(request, sizeof request, "{\"type\":\"login\",\"username\":\"%s\",\"password\":\"a long password\"}", argv[3]);
  good = good && ok(client, request, NULL, 0) && ok(client, "{\"type\":\"connect\"}", NULL, 0) &&
         ok(client, "{\"type\":\"wait_online\",\"timeout_ms\":15000}", answer, sizeof answer) &&
         strstr(answer, "\"online\":true") && ok(client, "{\"type\":\"create_group\",\"name\":\"C\"}", answer, sizeof answer);
  long room = 0;
  const char* id = good ? strstr(answer, "\"id\":") : NULL;
  if (id) sscanf(id + 5, "%ld", &room);
  if (room <= 0) good = 0;

  int answered = 0, came_back = 0;
  if (good) {
    snprintf(request, sizeof request,
             "{\"type\":\"send_text\",\"room_id\":%ld,\"text\":\"round trip from C\",\"@extra\":\"hello\"}", room);
    good = parley_client_send(client, request) == 0;
  }
  /* Until the answer and the message, back from the server, have both come; a quiet stream
   * ends the wait. */
  char* update;
  while (good && !(answered && came_back) && (update = parley_client_receive(client, 15.0)) != NULL) {
    if (strstr(update, "\"type\":\"answer\"") && strstr(update, "\"@extra\":\"hello\"")) answered = strstr(update, "\"ok\":true") != NULL;
    /* Back from the server: no longer pending (sent, or already delivered or read). */
    if (strstr(update, "\"type\":\"message\"") && strstr(update, "round trip from C") &&
        !strstr(update, "\"state\":\"pending\"") && !strstr(update, "\"state\":\"failed\""))
      came_back = 1;
    parley_string_free(update);
  }
  parley_client_close(client);
  if (good && answered && came_back) {
    printf("the message came back\n");
    return 0;
  }
  fprintf(stderr, "FAILED: answered %d, came back %d\n", answered, came_back);
  return 1;
}
