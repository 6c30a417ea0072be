/* The Parley client SDK for any language with a C FFI (Dart, Swift, Kotlin, Python...).
 *
 * Requests and answers are JSON strings, as in TDLib's JSON interface:
 *   parley_client_execute(client, "{\"type\":\"send_text\",\"room_id\":3,\"text\":\"hi\"}")
 * answers {"ok":true,"data":...} or {"ok":false,"error":{"kind":"network","code":"network","message":"..."}}.
 * Updates (new messages, state changes, typing, presence) queue up inside the client; the app
 * takes them one at a time with parley_client_receive.
 *
 * Every string the library returns is the caller's, to free with parley_string_free. */
#ifndef PARLEY_PARLEY_H
#define PARLEY_PARLEY_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct parley_client parley_client;

/* options_json: {"server":"http://127.0.0.1:8080","data_dir":"path"}. NULL on failure; then
 * *error_json (if error_json is not NULL) receives the error as JSON, to free. */
parley_client* parley_client_open(const char* options_json, char** error_json);

/* Runs one request (see docs/sdk.md for the types) and returns its answer. Blocks while the
 * request needs the server. */
char* parley_client_execute(parley_client* client, const char* request_json);

/* The next update as JSON, waiting up to timeout_seconds; NULL when none came. */
char* parley_client_receive(parley_client* client, double timeout_seconds);

void parley_string_free(char* text);
void parley_client_close(parley_client* client);

#ifdef __cplusplus
}
#endif

#endif /* PARLEY_PARLEY_H */
