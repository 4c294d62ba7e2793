#include "io/spill.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/paths.hpp"
#include "support/signals.hpp"

namespace secondear::io {
namespace {

namespace sig = test::signals;

void check_round_trip(const AudioBuffer& x, std::size_t budget, bool expect_on_disk) {
    const double sr = x.sample_rate_hz();
    SpillFile spill(test::scratch_dir(), 2, sr, budget);
    AudioBuffer source = x;
    std::size_t written = 0;
    for (std::size_t block : {1u, 4095u, 4097u, 7u, 8192u, 100000u}) {
        const std::size_t n = std::min(block, x.frames() - written);
        spill.write(AudioView(source, written, n));
        written += n;
    }
    ASSERT_EQ(written, x.frames());
    EXPECT_EQ(spill.frames(), x.frames());
    for (std::size_t block : {4096u, 1000u, 5u, 30000u}) {
        spill.rewind();
        AudioBuffer back(2, x.frames(), sr);
        AudioBuffer chunk(2, block, sr);
        std::size_t at = 0;
        while (const std::size_t got = spill.read(AudioView(chunk))) {
            ASSERT_LE(at + got, x.frames()) << block << " " << budget;
            for (int c = 0; c < 2; ++c)
                std::copy_n(chunk.channel(c).data(), got, back.channel(c).data() + at);
            at += got;
        }
        EXPECT_EQ(at, x.frames()) << block;
        EXPECT_EQ(back, x) << block;
    }
    EXPECT_EQ(spill.on_disk(), expect_on_disk) << budget;
}

// The spill stores records of its own size (planar inside a record), in memory up to its budget
// and in a file beyond: blocks written and read at sizes that straddle record boundaries must
// come back bit for bit, as often as asked, and the last (padded) record must end exactly at the
// frames written; in memory only, in the file only, and moved to the file half way.
TEST(SpillFile, ReadsBackExactlyWhateverTheBlockSizesAndStorage) {
    const double sr = 44100.0;
    const AudioBuffer x = sig::white_noise(3, sr, 0.5, -3.0);  // 22050 frames: not whole records
    const std::size_t record_bytes = 4096 * 2 * sizeof(float);
    for (const std::size_t budget :
         {SpillFile::k_default_memory_budget_bytes, std::size_t{0}, 2 * record_bytes})
        check_round_trip(x, budget, budget < 6 * record_bytes);
}

}  // namespace
}  // namespace secondear::io
