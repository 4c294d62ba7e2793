// Bad input to the command line: one clear line on stderr naming the file and the cause, the
// documented exit code (docs/cli.md), never a crash or a signal, and the input left untouched.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "io/encode.hpp"
#include "support/paths.hpp"
#include "support/signals.hpp"

namespace secondear {
namespace {

namespace fs = std::filesystem;

struct CliRun {
    int exit_code = -1;
    bool signalled = false;
    std::string out;
    std::string err;
};

CliRun run_cli(const std::string& args, const std::string& prefix = "") {
    const auto dir = fs::temp_directory_path();
    const auto err_path = dir / fmt::format("secondear-cli-{}.err", ::getpid());
    const std::string cmd = prefix + "'" + std::string(SECONDEAR_CLI_PATH) + "' " + args + " 2>'" +
                            err_path.string() + "'";
    CliRun r;
    std::FILE* pipe = ::popen(cmd.c_str(), "r");
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe)) r.out += buf.data();
    const int status = ::pclose(pipe);
    r.signalled = WIFSIGNALED(status);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream err(err_path);
    r.err.assign(std::istreambuf_iterator<char>(err), {});
    fs::remove(err_path);
    return r;
}

void write_bytes(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
}

int lines(const std::string& s) {
    return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

void expect_error(const CliRun& r, ErrorKind kind, const std::string& name, const std::string& cause) {
    EXPECT_FALSE(r.signalled);
    EXPECT_EQ(r.exit_code, static_cast<int>(kind)) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(name), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(cause), std::string::npos) << r.err;
}

TEST(CliBadInput, MissingFile) {
    const auto dir = test::scratch_dir();
    expect_error(run_cli("analyze '" + (dir / "nope.wav").string() + "'"),
                 ErrorKind::input_unreadable, "nope.wav", "no such file");
}

TEST(CliBadInput, Directory) {
    const auto dir = test::scratch_dir();
    expect_error(run_cli("analyze '" + dir.string() + "'"), ErrorKind::input_unreadable,
                 dir.filename().string(), "is a directory");
}

TEST(CliBadInput, NoPermission) {
    const auto dir = test::scratch_dir();
    const auto file = dir / "locked.wav";
    io::encode(test::signals::sine(440, 44100, 0.1, -12), file, {});
    fs::permissions(file, fs::perms::none);
    // Root reads any file: drop to an unprivileged user for this one run (setpriv, util-linux).
    const bool root = ::geteuid() == 0;
    if (root) fs::permissions(dir, fs::perms::all);  // let "nobody" reach the file's folder
    if (root && std::system("command -v setpriv >/dev/null") != 0)
        GTEST_SKIP() << "running as root without setpriv: cannot take read permission away";
    const CliRun r = run_cli("analyze '" + file.string() + "'",
                          root ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "");
    fs::permissions(file, fs::perms::owner_all);
    expect_error(r, ErrorKind::input_unreadable, "locked.wav", "Permission denied");
}

TEST(CliBadInput, EmptyFile) {
    const auto dir = test::scratch_dir();
    write_bytes(dir / "empty.wav", "");
    expect_error(run_cli("analyze '" + (dir / "empty.wav").string() + "'"),
                 ErrorKind::input_not_audio, "empty.wav", "empty file");
}

TEST(CliBadInput, TextFileNamedWav) {
    const auto dir = test::scratch_dir();
    write_bytes(dir / "notes.wav", "these are my lyrics, not audio\n");
    expect_error(run_cli("analyze '" + (dir / "notes.wav").string() + "'"),
                 ErrorKind::input_not_audio, "notes.wav", "not a readable audio file");
}

TEST(CliBadInput, TruncatedHeader) {
    const auto dir = test::scratch_dir();
    io::encode(test::signals::sine(440, 44100, 0.1, -12), dir / "good.wav", {});
    std::ifstream in(dir / "good.wav", std::ios::binary);
    std::string bytes(std::istreambuf_iterator<char>(in), {});
    write_bytes(dir / "cut.wav", bytes.substr(0, 30));  // inside the 44-byte RIFF header
    expect_error(run_cli("analyze '" + (dir / "cut.wav").string() + "'"),
                 ErrorKind::input_not_audio, "cut.wav", "not a readable audio file");
}

TEST(CliBadInput, CorruptHeader) {
    const auto dir = test::scratch_dir();
    io::encode(test::signals::sine(440, 44100, 0.1, -12), dir / "good.wav", {});
    std::ifstream in(dir / "good.wav", std::ios::binary);
    std::string bytes(std::istreambuf_iterator<char>(in), {});
    bytes[8] = 'X';  // "WAVE" -> "XAVE"
    write_bytes(dir / "corrupt.wav", bytes);
    expect_error(run_cli("analyze '" + (dir / "corrupt.wav").string() + "'"),
                 ErrorKind::input_not_audio, "corrupt.wav", "not a readable audio file");
}

TEST(CliBadInput, ZeroFrames) {
    const auto dir = test::scratch_dir();
    io::encode(AudioBuffer(2, 0, 44100.0), dir / "zero.wav", {});
    expect_error(run_cli("analyze '" + (dir / "zero.wav").string() + "'"),
                 ErrorKind::input_not_audio, "zero.wav", "no audio (0 frames)");
}

TEST(CliBadInput, NanAndInfInFloatFile) {
    const auto dir = test::scratch_dir();
    AudioBuffer x = test::signals::sine(440, 44100, 0.5, -12);
    x.channel(0)[11025] = std::numeric_limits<float>::quiet_NaN();
    x.channel(1)[100] = std::numeric_limits<float>::infinity();
    io::encode(x, dir / "nan.wav", {io::Container::wav, io::SampleFormat::float32});
    expect_error(run_cli("analyze '" + (dir / "nan.wav").string() + "'"), ErrorKind::input_invalid,
                 "nan.wav", "non-finite samples");
}

TEST(CliBadInput, MoreThanTwoChannels) {
    const auto dir = test::scratch_dir();
    // A 4-channel WAV written by hand (our writer refuses it too): 16-bit PCM, 10 frames.
    std::string wav;
    const auto u32 = [&](std::uint32_t v) {
        for (int i = 0; i < 4; ++i) wav += static_cast<char>((v >> (8 * i)) & 0xFF);
    };
    const auto u16 = [&](std::uint16_t v) {
        wav += static_cast<char>(v & 0xFF);
        wav += static_cast<char>(v >> 8);
    };
    const std::uint32_t data_bytes = 10 * 4 * 2;
    wav += "RIFF";
    u32(36 + data_bytes);
    wav += "WAVEfmt ";
    u32(16);
    u16(1);
    u16(4);
    u32(44100);
    u32(44100 * 8);
    u16(8);
    u16(16);
    wav += "data";
    u32(data_bytes);
    wav += std::string(data_bytes, '\0');
    write_bytes(dir / "quad.wav", wav);
    expect_error(run_cli("analyze '" + (dir / "quad.wav").string() + "'"),
                 ErrorKind::input_unsupported, "quad.wav", "4 channels");
}

TEST(CliBadInput, OneBadFileDoesNotStopTheOthers) {
    const auto dir = test::scratch_dir();
    io::encode(test::signals::sine(1000, 48000, 1.0, -20), dir / "good.wav", {});
    const CliRun r = run_cli("analyze --json '" + (dir / "missing.wav").string() + "' '" +
                          (dir / "good.wav").string() + "'");
    EXPECT_EQ(r.exit_code, static_cast<int>(ErrorKind::input_unreadable));
    EXPECT_EQ(lines(r.err), 1);
    EXPECT_NE(r.out.find("good.wav"), std::string::npos);
}

TEST(CliBadInput, UnknownOptionIsAUsageError) {
    const CliRun r = run_cli("analyze --frobnicate x.wav");
    EXPECT_EQ(r.exit_code, static_cast<int>(ErrorKind::usage));
    EXPECT_EQ(lines(r.err), 1) << r.err;
}

TEST(CliAnalyze, SilenceGivesNullLoudnessNeverInfinity) {
    const auto dir = test::scratch_dir();
    io::encode(test::signals::silence(48000, 2.0), dir / "silence.wav", {});
    const CliRun r = run_cli("analyze --json '" + (dir / "silence.wav").string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_TRUE(j["integrated_lufs"].is_null());
    EXPECT_TRUE(j["true_peak_dbtp"].is_null());
    EXPECT_EQ(r.out.find("inf"), std::string::npos);
    EXPECT_EQ(j["problems"][0]["code"], "SILENT");
}

TEST(CliAnalyze, JsonHasTheDocumentedKeys) {
    const auto dir = test::scratch_dir();
    io::encode(test::signals::pink_noise(3, 44100, 3.0, -20), dir / "a.wav", {});
    io::encode(test::signals::sine(1000, 44100, 3.0, -20), dir / "b.flac",
               {io::Container::flac, io::SampleFormat::pcm16});
    const CliRun r = run_cli("analyze --json '" + (dir / "a.wav").string() + "' '" +
                          (dir / "b.flac").string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_TRUE(j.is_array());
    ASSERT_EQ(j.size(), 2u);
    for (const char* key :
         {"path", "sample_rate_hz", "channels", "duration_s", "integrated_lufs",
          "momentary_max_lufs", "short_term_max_lufs", "loudness_range_lu", "sample_peak_dbfs",
          "true_peak_dbtp", "crest_db", "correlation", "spectrum_third_octave", "problems"})
        EXPECT_TRUE(j[0].contains(key)) << key;
    EXPECT_TRUE(j[0]["spectrum_third_octave"][0].contains("hz"));
    EXPECT_TRUE(j[0]["spectrum_third_octave"][0].contains("db"));
}

}  // namespace
}  // namespace secondear
