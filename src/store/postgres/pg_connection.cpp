#include "store/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <utility>

namespace parley::store::postgres {
namespace {

std::string error_text(const PGresult* result, pg_conn* conn, std::string_view context) {
  std::string message(context);
  message += ": ";
  const char* detail = result ? PQresultErrorMessage(result) : nullptr;
  if (!detail || !*detail) detail = PQerrorMessage(conn);
  message += detail;
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

}  // namespace

ErrorCode error_code_from_sqlstate(std::string_view sqlstate) {
  if (sqlstate == "23505") return ErrorCode::conflict;
  if (sqlstate == "23503") return ErrorCode::not_found;
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03" || sqlstate.starts_with("08") ||
      sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03")
    return ErrorCode::unavailable;
  return ErrorCode::internal;
}

// --- Params ------------------------------------------------------------------------------------

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> result;
  result.reserve(values_.size());
  for (const auto& value : values_) result.push_back(value ? value->c_str() : nullptr);
  return result;
}

// --- Rows --------------------------------------------------------------------------------------

Rows::Rows(Rows&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}

Rows& Rows::operator=(Rows&& other) noexcept {
  if (this != &other) {
    if (result_) PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

Rows::~Rows() {
  if (result_) PQclear(result_);
}

std::string Rows::command_tag() const { return result_ ? PQcmdStatus(result_) : ""; }

int Rows::size() const { return result_ ? PQntuples(result_) : 0; }

std::int64_t Rows::affected() const {
  if (!result_) return 0;
  const char* count = PQcmdTuples(result_);
  std::int64_t value = 0;
  if (count && *count) std::from_chars(count, count + std::char_traits<char>::length(count), value);
  return value;
}

bool Rows::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::int64_t Rows::int64(int row, int column) const { return optional_int64(row, column).value_or(0); }

std::optional<std::int64_t> Rows::optional_int64(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  const char* text = PQgetvalue(result_, row, column);
  std::int64_t value = 0;
  std::from_chars(text, text + PQgetlength(result_, row, column), value);
  return value;
}

bool Rows::boolean(int row, int column) const {
  return !is_null(row, column) && PQgetvalue(result_, row, column)[0] == 't';
}

std::string Rows::text(int row, int column) const { return optional_text(row, column).value_or(std::string()); }

std::optional<std::string> Rows::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return std::string(PQgetvalue(result_, row, column), static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

// --- Connection --------------------------------------------------------------------------------

Result<std::unique_ptr<Connection>> Connection::open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (!conn) return fail(ErrorCode::unavailable, "connecting to PostgreSQL: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    Error error{ErrorCode::unavailable, error_text(nullptr, conn, "connecting to PostgreSQL")};
    PQfinish(conn);
    return std::unexpected(std::move(error));
  }
  std::unique_ptr<Connection> connection(new Connection(conn));
  // Notices (e.g. "relation already exists, skipping") would go to stderr; they are not errors.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return connection;
}

Connection::~Connection() {
  // Closing the connection also rolls back a transaction left open by a caller that gave up on it.
  PQfinish(conn_);
}

void Connection::reconnect_if_broken() {
  if (PQstatus(conn_) != CONNECTION_BAD) return;
  prepared_.clear();
  PQreset(conn_);
}

Result<Rows> Connection::check(PGresult* result, std::string_view context) {
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
    return Rows(result);
  const char* sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  ErrorCode code = sqlstate ? error_code_from_sqlstate(sqlstate)
                            : (PQstatus(conn_) == CONNECTION_BAD ? ErrorCode::unavailable : ErrorCode::internal);
  Error error{code, error_text(result, conn_, context)};
  if (result) PQclear(result);
  return std::unexpected(std::move(error));
}

Result<Rows> Connection::query(const std::string& sql, const Params& params) {
  return with_one_retry([&] { return run_prepared(sql, params); });
}

Result<Rows> Connection::run_prepared(const std::string& sql, const Params& params) {
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    std::string name = "parley_" + std::to_string(prepared_.size() + 1);
    // Parameter types are left to the server, which infers them from the SQL; the few places
    // where it could not (an untyped $n under GREATEST, say) cast them in the SQL.
    PARLEY_TRY(prepared, check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), "preparing a statement"));
    found = prepared_.emplace(sql, std::move(name)).first;
  }
  const auto values = params.pointers();
  if (deferred_.empty())
    return check(PQexecPrepared(conn_, found->second.c_str(), params.size(), values.data(), nullptr, nullptr, 0),
                 "running a statement");
  return run_pipelined([&] {
    return PQsendQueryPrepared(conn_, found->second.c_str(), params.size(), values.data(), nullptr, nullptr, 0);
  });
}

Result<Rows> Connection::execute(const char* sql) {
  return with_one_retry([&] {
    if (deferred_.empty()) return check(PQexec(conn_, sql), "running a statement");
    return run_pipelined([&] { return PQsendQueryParams(conn_, sql, 0, nullptr, nullptr, nullptr, nullptr, 0); });
  });
}

void Connection::defer(std::string sql) { deferred_.push_back(std::move(sql)); }

bool Connection::take_back_deferred(std::string_view sql) noexcept {
  if (deferred_.empty() || deferred_.back() != sql) return false;
  deferred_.pop_back();
  return true;
}

bool Connection::broken() const noexcept { return PQstatus(conn_) == CONNECTION_BAD; }

Result<Rows> Connection::run_pipelined(const std::function<int()>& send_statement) {
  if (PQenterPipelineMode(conn_) != 1)
    return fail(PQstatus(conn_) == CONNECTION_BAD ? ErrorCode::unavailable : ErrorCode::internal,
                error_text(nullptr, conn_, "entering pipeline mode"));
  bool sent = true;
  for (const auto& sql : deferred_)
    sent = sent && PQsendQueryParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  sent = sent && send_statement() == 1 && PQpipelineSync(conn_) == 1;
  std::optional<Error> first_error;
  if (!sent) first_error = Error{ErrorCode::unavailable, error_text(nullptr, conn_, "sending statements")};

  // Each statement's results end with a null; the sync's result comes last, on its own.
  PGresult* statement_result = nullptr;
  const std::size_t statements = deferred_.size() + 1;
  for (std::size_t i = 0; sent && i < statements; ++i) {
    PGresult* result = PQgetResult(conn_);
    if (!result) {
      if (!first_error) first_error = Error{ErrorCode::unavailable, error_text(nullptr, conn_, "reading results")};
      break;
    }
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_FATAL_ERROR && !first_error) {
      first_error = check(result, i + 1 == statements ? "running a statement" : "running a queued statement").error();
      result = nullptr;  // check() freed it
    }
    if (i + 1 == statements && !first_error)
      statement_result = result;
    else if (result)
      PQclear(result);
    while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);  // up to the null that ends it
  }
  if (sent) {
    PGresult* sync = PQgetResult(conn_);
    if (sync) PQclear(sync);
  }
  if (PQexitPipelineMode(conn_) != 1) {
    // Something is still unread (a broken stream): drain it, so the connection can be used or reset.
    while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
    PQexitPipelineMode(conn_);
  }
  // Sent and answered: they are done, whatever their outcome. On a connection that broke they
  // are kept, for with_one_retry to send again on the new one.
  if (PQstatus(conn_) != CONNECTION_BAD) deferred_.clear();
  if (first_error) {
    if (statement_result) PQclear(statement_result);
    return std::unexpected(std::move(*first_error));
  }
  return check(statement_result, "running a statement");
}

Result<Rows> Connection::with_one_retry(const std::function<Result<Rows>()>& statement) {
  reconnect_if_broken();
  const bool outside_transaction = PQtransactionStatus(conn_) == PQTRANS_IDLE;
  auto result = statement();
  // A pooled connection learns that the server restarted only when its next statement fails.
  // Outside a transaction nothing is lost with it: reopened, the statement is tried once more.
  // Inside one, the transaction is gone and the caller hears `unavailable`.
  if (!result && outside_transaction && PQstatus(conn_) == CONNECTION_BAD) {
    reconnect_if_broken();
    if (PQstatus(conn_) == CONNECTION_OK) result = statement();
  }
  return result;
}

void Connection::execute_quietly(const char* sql) noexcept {
  if (PGresult* result = PQexec(conn_, sql)) PQclear(result);
}

Connection::Transaction Connection::transaction() const noexcept {
  if (!deferred_.empty() && deferred_.front() == "BEGIN") return Transaction::active;
  switch (PQtransactionStatus(conn_)) {
    case PQTRANS_INTRANS:
    case PQTRANS_ACTIVE:
      return Transaction::active;
    case PQTRANS_INERROR:
      return Transaction::failed;
    default:
      return Transaction::idle;
  }
}

}  // namespace parley::store::postgres
