// Replays files through a libFuzzer target without libFuzzer, so any compiler can run the seed
// corpora and the regression inputs of testdata/fuzz/ as a unit test (fuzz/CMakeLists.txt):
//
//   <name>_replay FILE_OR_DIRECTORY...
//
// Directories are walked recursively, in sorted order. A target reports a violated property by
// aborting, and the sanitizers of the build report the rest, so reaching the end is the pass.
// Exit status 1 when no input was found: a replay of nothing would pass without testing.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> InputsUnder(const fs::path& path) {
  std::vector<fs::path> files;
  std::error_code error;
  if (fs::is_directory(path, error)) {
    for (const auto& entry : fs::recursive_directory_iterator(path)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
  } else if (fs::is_regular_file(path, error)) {
    files.push_back(path);
  }
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    for (const fs::path& file : InputsUnder(argv[i])) {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "cannot read %s\n", file.c_str());
        return 1;
      }
      std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
      // Echoed first, so a crash names its input.
      std::fprintf(stderr, "replay %s (%zu bytes)\n", file.c_str(), data.size());
      // A heap copy of exactly the input's size (a vector may have spare capacity): ASan then
      // catches any read past its end, as under libFuzzer.
      auto exact = std::make_unique<uint8_t[]>(data.size());
      std::copy(data.begin(), data.end(), exact.get());
      LLVMFuzzerTestOneInput(exact.get(), data.size());
      ++replayed;
    }
  }
  std::fprintf(stderr, "replayed %zu inputs\n", replayed);
  return replayed == 0 ? 1 : 0;
}
