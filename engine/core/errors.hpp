#pragma once
// Errors that reach the user. Each kind has one documented process exit code (docs/cli.md), so
// scripts can tell "your file is broken" from "our bug" without parsing text.

#include <stdexcept>
#include <string>

namespace secondear {

enum class ErrorKind {
    usage = 2,               // bad command-line arguments or options
    input_unreadable = 3,    // missing, a directory, no permission
    input_not_audio = 4,     // empty, not an audio file, corrupt or truncated header, zero frames
    input_unsupported = 5,   // readable audio we do not handle (e.g. more than two channels)
    input_invalid = 6,       // NaN or Inf samples, or an invalid plan/session value
    output_failed = 7,       // cannot write, or the output would overwrite an input
    target_unreachable = 8,  // the request cannot be met within safe bounds (see --force)
    internal = 70,           // a bug: please report
};

/// A user-facing error: `what()` is one line naming the file and the cause.
class Error : public std::runtime_error {
  public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }
    int exit_code() const noexcept { return static_cast<int>(kind_); }

  private:
    ErrorKind kind_;
};

}  // namespace secondear
