#pragma once
// What the fuzz targets share: checking a property beyond "no crash", and cutting one input
// into the parts a target feeds to different parsers.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace parley::fuzz {

// Aborts when a property does not hold, so that libFuzzer keeps the input as a crash; `what`
// says which property, since the stack alone often does not.
inline void require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "property broken: %s\n", what);
  std::abort();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input up to the first `separator`, and what follows it (empty when there is none).
// A line-based split keeps the seed files readable and lets the fuzzer move the boundary.
struct Split {
  std::string_view head;
  std::string_view rest;
};
inline Split split_at(std::string_view input, char separator) {
  const auto at = input.find(separator);
  if (at == std::string_view::npos) return {input, {}};
  return {input.substr(0, at), input.substr(at + 1)};
}

}  // namespace parley::fuzz
