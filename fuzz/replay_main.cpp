// Replays inputs through a fuzz target's LLVMFuzzerTestOneInput without libFuzzer, so that the
// normal toolchain (g++, the dev, CI and asan builds) runs every kept finding and seed on every
// build. Usage: replay_<target> FILE_OR_DIR...  Each input must finish within --max-seconds
// (default 1, libFuzzer's -timeout of scripts/fuzz) of CPU time; an invariant violation aborts.
// CPU time, not wall time: on a loaded or shared machine (CI, a fuzz campaign under nice) the
// wall time of one input says more about the neighbours than about the input.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  double max_seconds = 1.0;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--max-seconds" && i + 1 < argc) {
      max_seconds = std::atof(argv[++i]);
    } else if (fs::is_directory(arg)) {
      for (const auto& e : fs::recursive_directory_iterator(arg))
        if (e.is_regular_file()) files.push_back(e.path());
    } else if (fs::is_regular_file(arg)) {
      files.emplace_back(arg);
    } else {
      std::fprintf(stderr, "replay: no such file or directory: %s\n", arg.c_str());
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "replay: no inputs\n");
    return 2;
  }
  int slow = 0;
  double total = 0;
  double slowest = 0;
  std::string slowest_file;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::clock_t start = std::clock();
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    const double s = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    total += s;
    if (s > slowest) {
      slowest = s;
      slowest_file = f.string();
    }
    if (s > max_seconds) {
      std::fprintf(stderr, "replay: %s took %.2f CPU s (limit %.2f s)\n", f.string().c_str(), s,
                   max_seconds);
      ++slow;
    }
  }
  std::printf("replay: %zu inputs in %.2f CPU s, slowest %.3f s (%s), %d over the limit\n",
              files.size(), total, slowest, slowest_file.c_str(), slow);
  return slow == 0 ? 0 : 1;
}
