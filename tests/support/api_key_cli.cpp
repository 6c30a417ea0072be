#include "support/api_key_cli.hpp"

#include "support/child_process.hpp"
#include "support/scratch_dir.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace parley::test {
namespace {

// Only a broken command takes this long.
constexpr std::chrono::seconds kCliTimeout{60};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> columns;
  std::size_t start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    columns.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return columns;
    start = tab + 1;
  }
}

}  // namespace

CliResult run_api_keys_cli(const TestServer& server, const std::vector<std::string>& args) {
  ScratchDir scratch;
  const auto log = scratch.sub("cli.log");
  std::vector<std::string> argv{PARLEYD_PATH, "api-keys"};
  argv.insert(argv.end(), args.begin(), args.end());
  // After the subcommand, as an operator may write them: they fall through to parleyd's own.
  argv.insert(argv.end(), {"--data-dir", server.data_dir().string(), "--log-level", "warn"});
  if (!server.store_uri().empty()) argv.insert(argv.end(), {"--store", server.store_uri()});
  ChildProcess process;
  process.start(argv, log);
  auto code = process.wait_for(kCliTimeout);
  if (!code) {
    (void)process.kill();
    throw std::runtime_error("parleyd api-keys did not finish");
  }
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  return CliResult{*code, text.str()};
}

CreatedKey create_api_key(const TestServer& server, const std::string& name) {
  CliResult result = run_api_keys_cli(server, {"create", "--name", name});
  if (result.exit_code != 0) throw std::runtime_error("api-keys create failed: " + result.output);
  for (const auto& line : lines_of(result.output)) {
    if (!line.starts_with("pk_")) continue;
    const auto underscore = line.find('_', 3);
    return CreatedKey{std::stoll(line.substr(3, underscore - 3)), line};
  }
  throw std::runtime_error("api-keys create printed no key: " + result.output);
}

std::vector<std::vector<std::string>> list_api_keys(const TestServer& server) {
  CliResult result = run_api_keys_cli(server, {"list"});
  if (result.exit_code != 0) throw std::runtime_error("api-keys list failed: " + result.output);
  std::vector<std::vector<std::string>> rows;
  bool header_seen = false;
  for (const auto& line : lines_of(result.output)) {
    if (line.starts_with("id\tname\t")) {
      header_seen = true;
      continue;
    }
    if (header_seen && line.find('\t') != std::string::npos) rows.push_back(split_tabs(line));
  }
  if (!header_seen) throw std::runtime_error("api-keys list printed no table: " + result.output);
  return rows;
}

}  // namespace parley::test
