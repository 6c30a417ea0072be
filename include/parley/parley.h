/* The Parley client SDK for any language with a C FFI (Dart, Swift, Kotlin, Python...):
 * libparley.so, which exports these functions and nothing else.
 *
 * Requests and answers are JSON strings, as in TDLib's JSON interface. A request is an object
 * with a "type" and that type's fields (docs/sdk.md has the table), and optionally an "@extra"
 * of the caller's choosing (any JSON value) that comes back with its answer:
 *
 *   parley_client_send(client, "{\"type\":\"send_text\",\"room_id\":3,\"text\":\"hi\",\"@extra\":7}");
 *   ... parley_client_receive(client, 1.0) later returns, among the updates,
 *   {"type":"answer","@extra":7,"ok":true,"data":{...the pending message...}}
 *
 * An answer is {"ok":true,"data":...} or {"ok":false,"error":{"kind","code","message"}}; `code`
 * is one of the protocol's error codes (invalid_payload for a missing or mistyped field,
 * unknown_op for an unknown type, malformed_json for a request that is not a JSON object).
 *
 * Threads:
 * - parley_version, parley_set_log_callback and parley_string_free may be called from any
 *   thread at any time.
 * - On one client, parley_client_send, parley_client_execute and parley_client_receive may be
 *   called from any number of threads at once: typically one thread receives in a loop while
 *   others send or execute. Each update goes to exactly one receive call.
 * - parley_client_close must not run at the same time as any other call on the same client,
 *   nor be followed by one: the app stops its threads' use of the handle first.
 * - Nothing here may be called from inside the log callback.
 *
 * Order: requests that write to the outbox (send_text, send, send_file, retry, discard) run one
 * at a time in the order they were sent or executed, so two sends arrive in that order. Other
 * requests run concurrently on a small pool of threads; wait for an answer before sending a
 * request that depends on it.
 *
 * Every string the library returns is the caller's, to free with parley_string_free. */
#ifndef PARLEY_PARLEY_H
#define PARLEY_PARLEY_H

#define PARLEY_VERSION_MAJOR 0
#define PARLEY_VERSION_MINOR 2
#define PARLEY_VERSION_PATCH 0

#if defined(__GNUC__) || defined(__clang__)
#define PARLEY_API __attribute__((visibility("default")))
#else
#define PARLEY_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct parley_client parley_client;

/* The library's version, "MAJOR.MINOR.PATCH": a static string, not to free. It may differ from
 * the PARLEY_VERSION_* macros the app was compiled with. */
PARLEY_API const char* parley_version(void);

enum { PARLEY_LOG_ERROR = 0, PARLEY_LOG_WARNING = 1, PARLEY_LOG_INFO = 2, PARLEY_LOG_DEBUG = 3 };
typedef void (*parley_log_callback)(int level, const char* message, void* user_data);

/* Process-wide: every client's log lines up to max_level go to callback. NULL callback turns
 * logging off. Called from SDK threads, possibly several at once: it must be quick and
 * thread-safe. Once this returns, the previous callback is no longer running nor called. */
PARLEY_API void parley_set_log_callback(parley_log_callback callback, int max_level, void* user_data);

/* options_json: {"server":"http://127.0.0.1:8080","data_dir":"path"} (both required), and
 * optionally "request_timeout_ms", "reconnect_min_ms", "reconnect_max_ms", "max_update_bytes"
 * (the bound of the update stream, 8 MiB by default). NULL on failure; then *error_json (if
 * error_json is not NULL) receives the error {"kind","code","message"} as JSON, to free. */
PARLEY_API parley_client* parley_client_open(const char* options_json, char** error_json);

/* Queues a request and returns at once (0), or -1 when client or request_json is NULL (nothing
 * queued; also when memory is exhausted). Its answer arrives from parley_client_receive as
 *   {"type":"answer","@extra":<the request's "@extra" value, any JSON, null when absent>,"ok":true,"data":{...}}
 * or {"type":"answer","@extra":...,"ok":false,"error":{"kind","code","message"}}.
 * When 1,000 requests already wait for a thread, the request is not queued and its answer is
 * the error rate_limited at once: receive answers, then send again. */
PARLEY_API int parley_client_send(parley_client* client, const char* request_json);

/* Blocking helper: runs the request and returns its answer {"ok":...,"data"|"error"} (with
 * "@extra" echoed when given); this answer is NOT also put in the update stream. Never crashes
 * on NULL: answers an error. Returns NULL only when memory is exhausted. */
PARLEY_API char* parley_client_execute(parley_client* client, const char* request_json);

/* The next update (or answer) as JSON, waiting up to timeout_seconds; NULL when none came. When
 * updates had to be dropped because the stream was full (max_update_bytes), the next one is
 * {"type":"updates_lost","count":N,"answers_lost":[<@extra of each lost answer>]}: the app then
 * re-reads what it shows (rooms, the open room's messages); see docs/sdk.md. */
PARLEY_API char* parley_client_receive(parley_client* client, double timeout_seconds);

PARLEY_API void parley_string_free(char* text);

/* Disconnects, waits for requests already running, drops those still queued (their answers
 * never come) and frees the client. NULL is a no-op. */
PARLEY_API void parley_client_close(parley_client* client);

#ifdef __cplusplus
}
#endif

#endif /* PARLEY_PARLEY_H */
