#include <pybind11/stl.h>

#include <iostream>
#include <optional>
#include <streambuf>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "cli.hpp"

namespace py = pybind11;

namespace keyaccount::python {
namespace {

/// A stream buffer that hands the CLI's bytes, unchanged, to a Python callable taking `bytes`
/// (keyaccount.__main__ passes sys.stdout.buffer.write or the like). Bytes, not text: the CLI
/// echoes policy lines, which need not be UTF-8, and decoding them in Python used to raise
/// inside a C++ stream and abort the process.
///
/// When the callable raises (a reader that closed the pipe, a full disk, Ctrl-C) the exception
/// is kept, not thrown through the CLI's C++ frames: the buffer fails from then on, so the
/// stream's later writes are dropped and the commands that stream results stop early, and
/// run_cli raises the kept exception once the CLI has returned.
class python_byte_sink : public std::streambuf {
 public:
  python_byte_sink(py::object write, std::size_t capacity)
      : write_(std::move(write)), buffer_(capacity) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  python_byte_sink(const python_byte_sink&) = delete;
  python_byte_sink& operator=(const python_byte_sink&) = delete;

  /// Hands what is buffered to Python; false once the callable has raised.
  bool flush() {
    const auto n = static_cast<std::size_t>(pptr() - pbase());
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    if (error_) return false;
    if (n == 0) return true;
    try {
      write_(py::bytes(buffer_.data(), n));
    } catch (py::error_already_set& e) {
      error_ = std::move(e);
      return false;
    }
    return true;
  }

  /// The exception the callable raised, if it did.
  std::optional<py::error_already_set>& error() { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!flush()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return flush() ? 0 : -1; }

 private:
  py::object write_;
  std::vector<char> buffer_;
  std::optional<py::error_already_set> error_;
};

/// Points std::cout / std::cerr at a sink for the duration of a call. The CLI is run on
/// std::cout and std::cerr themselves (not on streams of its own) because `classify` draws its
/// progress bar only on the process's std::cerr, and only when that is a terminal.
class stream_redirect {
 public:
  stream_redirect(std::ostream& stream, std::streambuf* to)
      : stream_(stream), old_(stream.rdbuf(to)), old_state_(stream.rdstate()) {
    stream_.clear();
  }
  stream_redirect(const stream_redirect&) = delete;
  stream_redirect& operator=(const stream_redirect&) = delete;
  ~stream_redirect() {
    stream_.rdbuf(old_);
    stream_.clear(old_state_);
  }

 private:
  std::ostream& stream_;
  std::streambuf* old_;
  std::ios_base::iostate old_state_;
};

int run_cli(const std::vector<std::string>& args, py::object out_write, py::object err_write) {
  // Big enough that writing a large result costs few calls into Python; stderr is written
  // through at once (std::cerr is unit-buffered), so messages keep their order.
  python_byte_sink out(std::move(out_write), 64 * 1024);
  python_byte_sink err(std::move(err_write), 4 * 1024);
  int code = 0;
  {
    stream_redirect to_out(std::cout, &out);
    stream_redirect to_err(std::cerr, &err);
    code = keyaccount::cli::run(args, std::cout, std::cerr);
    out.flush();
    err.flush();
  }
  // Standard output's failure first: it is the one a closed pipe causes.
  if (out.error()) throw std::move(*out.error());
  if (err.error()) throw std::move(*err.error());
  return code;
}

}  // namespace

void bind_cli(py::module_& m) {
  m.def("run_cli", &run_cli, py::arg("args"), py::arg("out_write"), py::arg("err_write"),
        "Runs the keyaccount command line with `args` (without the program name) and returns "
        "its exit code. Its standard output and error go, as bytes, to the callables "
        "`out_write` and `err_write` (e.g. sys.stdout.buffer.write). If one of them raises, "
        "the stream is dropped from then on and that exception is raised when the command "
        "returns.");
}

}  // namespace keyaccount::python
