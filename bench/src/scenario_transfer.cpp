// transfer: how fast files move through the server's HTTP file routes. One user uploads a file
// of N MiB several times (POST /v1/uploads, timed until the 201, which comes once the file is
// on disk), then downloads it several times (GET /v1/uploads/{id}, timed until its last byte,
// each byte compared with the file). The server's memory is read before, between and after:
// a transfer streams in chunks, so its peak must not grow with the file.
#include "scenarios.hpp"
#include "transfer_client.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <random>
#include <unistd.h>

namespace parley::bench {
namespace {

constexpr std::int64_t kMiB = std::int64_t{1} << 20;

// Bytes no layer could compress or guess, the same every run.
std::vector<char> make_file(std::int64_t bytes) {
  std::vector<char> file(static_cast<std::size_t>(bytes));
  std::mt19937_64 random(20261206);
  for (std::size_t i = 0; i + 8 <= file.size(); i += 8) {
    const std::uint64_t word = random();
    std::memcpy(file.data() + i, &word, 8);
  }
  return file;
}

// Megabytes (10^6 bytes) a second, the unit disks and networks are quoted in.
double mb_per_second(std::int64_t bytes, double seconds) { return seconds > 0 ? static_cast<double>(bytes) / seconds / 1e6 : 0; }

struct Speeds {
  std::vector<double> mb_per_second;
  void add(double v) { mb_per_second.push_back(v); }
  [[nodiscard]] double median() const {
    if (mb_per_second.empty()) return 0;
    auto sorted = mb_per_second;
    std::sort(sorted.begin(), sorted.end());
    return sorted[sorted.size() / 2];
  }
  [[nodiscard]] double best() const {
    return mb_per_second.empty() ? 0 : *std::max_element(mb_per_second.begin(), mb_per_second.end());
  }
  [[nodiscard]] boost::json::array json() const {
    boost::json::array each;
    for (double v : mb_per_second) each.push_back(v);
    return each;
  }
};

void report_speeds(Report& report, const std::string& what, const Speeds& speeds) {
  report.figure(what + "_mb_per_second_median", speeds.median(), "MB/s");
  report.figure(what + "_mb_per_second_best", speeds.best(), "MB/s");
  report.figures()[what + "_mb_per_second_each"] = speeds.json();
}

}  // namespace

int run_transfer(const CommonOptions& common, const TransferOptions& o) {
  Env env(common, "transfer");
  env.report.parameters() = {{"mib", o.mib}, {"uploads", o.uploads}, {"downloads", o.downloads}};
  env.start();
  const auto user = env.register_users(1).at(0);
  const std::vector<char> file = make_file(o.mib * kMiB);
  const std::string target = "/v1/uploads?name=bench-" + std::to_string(o.mib) + "MiB.bin";

  env.loop.run_for(std::chrono::milliseconds(200));
  const auto rss_before = env.server_rss_kib();
  TransferClient client(env.server.host(), env.server.port());

  std::cout << "uploading " << o.mib << " MiB " << o.uploads << " times..." << std::endl;
  Speeds uploads, upload_bodies;
  std::string upload_id, upload_error;
  for (int i = 0; i < o.uploads; ++i) {
    auto r = client.upload(target, "application/octet-stream", file, user.token);
    if (r.status != 201) {
      if (upload_error.empty()) upload_error = "HTTP " + std::to_string(r.status) + " " + r.error + " " + r.body.substr(0, 200);
      continue;
    }
    uploads.add(mb_per_second(r.bytes, r.seconds));
    upload_bodies.add(mb_per_second(r.bytes, r.body_seconds));
    boost::system::error_code ec;
    auto answer = boost::json::parse(r.body, ec);
    if (!ec && answer.is_object()) upload_id = std::string(answer.at("upload").at("upload_id").as_string());
  }
  env.report.check("all_uploaded", static_cast<int>(uploads.mb_per_second.size()) == o.uploads && !upload_id.empty(),
                   std::to_string(uploads.mb_per_second.size()) + " of " + std::to_string(o.uploads) +
                       (upload_error.empty() ? "" : " (" + upload_error + ")"));
  const auto peak_after_uploads = read_peak_rss_kib(env.server.pid());

  std::cout << "downloading it " << o.downloads << " times..." << std::endl;
  Speeds downloads;
  int matching = 0;
  std::string download_error;
  for (int i = 0; i < o.downloads && !upload_id.empty(); ++i) {
    auto r = client.download("/v1/uploads/" + upload_id, file, user.token);
    if (r.status != 200 || !r.error.empty()) {
      if (download_error.empty()) download_error = "HTTP " + std::to_string(r.status) + " " + r.error;
      continue;
    }
    downloads.add(mb_per_second(r.bytes, r.seconds));
    if (r.content_matches && r.bytes == static_cast<std::int64_t>(file.size())) ++matching;
  }
  env.report.check("all_downloaded_intact", matching == o.downloads,
                   std::to_string(matching) + " of " + std::to_string(o.downloads) + " complete and equal to the file" +
                       (download_error.empty() ? "" : " (" + download_error + ")"));

  report_speeds(env.report, "upload", uploads);
  // Until the client had handed the last byte to the kernel: the 201 comes later, once the
  // server has synced the file to disk.
  report_speeds(env.report, "upload_body_sent", upload_bodies);
  report_speeds(env.report, "download", downloads);
  const auto peak = read_peak_rss_kib(env.server.pid());
  const auto rss_after = env.server_rss_kib();
  if (rss_before && peak && peak_after_uploads && rss_after) {
    env.report.figure("server_rss_before_kib", static_cast<double>(*rss_before), "KiB");
    env.report.figure("server_peak_rss_after_uploads_kib", static_cast<double>(*peak_after_uploads), "KiB");
    env.report.figure("server_peak_rss_kib", static_cast<double>(*peak), "KiB");
    env.report.figure("server_rss_after_kib", static_cast<double>(*rss_after), "KiB");
  } else {
    env.report.figure("server_peak_rss_kib", "unknown: the server's pid is not known (--server-pid)");
  }
  if (auto own = read_rss_kib(::getpid())) env.report.figure("bench_rss_kib", static_cast<double>(*own), "KiB");
  env.check_server_alive();
  return env.finish() ? 0 : 1;
}

}  // namespace parley::bench
