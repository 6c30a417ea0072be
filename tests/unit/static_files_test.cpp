#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "server/gateway/static_files.hpp"

namespace parley::gateway {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "parley-web-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    base_ = pattern;
    std::filesystem::create_directories(base_ / "web" / "views");
    std::ofstream(base_ / "web" / "index.html") << "<h1>Parley</h1>";
    std::ofstream(base_ / "web" / "views" / "chat.js") << "export {}";
    std::ofstream(base_ / "web" / ".env") << "hidden";
    std::ofstream(base_ / "secret.txt") << "outside";
    std::filesystem::create_symlink(base_ / "secret.txt", base_ / "web" / "link.txt");
  }
  void TearDown() override { std::filesystem::remove_all(base_); }
  std::filesystem::path base_;
};

TEST_F(StaticFilesTest, ServesFilesWithTheirTypesAndIndexAtTheRoot) {
  StaticFiles files(base_ / "web");
  auto index = files.find("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->body, "<h1>Parley</h1>");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  auto js = files.find("/views/chat.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, NothingOutsideTheDirectoryNorHidden) {
  StaticFiles files(base_ / "web");
  EXPECT_FALSE(files.find("/../secret.txt"));
  EXPECT_FALSE(files.find("/views/../../secret.txt"));
  EXPECT_FALSE(files.find("/link.txt"));
  EXPECT_FALSE(files.find("/.env"));
  EXPECT_FALSE(files.find("//index.html"));
  EXPECT_FALSE(files.find("/missing.js"));
  EXPECT_FALSE(StaticFiles(base_ / "nowhere").find("/"));
}

}  // namespace
}  // namespace parley::gateway
