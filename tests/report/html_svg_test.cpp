// The SVG helpers: numbers, ticks, decimation and escaping.

#include "report/svg.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace secondear::report::svg {
namespace {

TEST(HtmlSvg, NumbersAreShortAndNeverNegativeZero) {
    EXPECT_EQ(number(3.10, 2), "3.1");
    EXPECT_EQ(number(-14.0, 1), "-14");
    EXPECT_EQ(number(-0.004, 2), "0");
    EXPECT_EQ(number(1234.567, 1), "1234.6");
    EXPECT_EQ(number(std::numeric_limits<double>::quiet_NaN()), "n/a");
}

TEST(HtmlSvg, EscapeCoversTextAndAttributes) {
    EXPECT_EQ(escape("<a href=\"x\">'&'</a>"),
              "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(HtmlSvg, LinearTicksUseOneTwoFiveSteps) {
    const auto t = linear_ticks(-36.0, -6.0, 5);
    // A span of 30 in about 5 steps needs 6; the next 1-2-5 step is 10.
    ASSERT_EQ(t.size(), 3u);
    EXPECT_DOUBLE_EQ(t[0], -30.0);
    EXPECT_DOUBLE_EQ(t[1], -20.0);
    EXPECT_DOUBLE_EQ(t[2], -10.0);
}

TEST(HtmlSvg, LogTicksCoverTheAudioBand) {
    const auto t = log_ticks(20.0, 20000.0);
    ASSERT_FALSE(t.empty());
    EXPECT_DOUBLE_EQ(t.front(), 20.0);
    EXPECT_DOUBLE_EQ(t.back(), 20000.0);
    EXPECT_EQ(t.size(), 10u);  // 20 50 100 200 500 1k 2k 5k 10k 20k
}

TEST(HtmlSvg, DecimationKeepsPeaksGapsAndTheBudget) {
    std::vector<Point> pts;
    for (int i = 0; i < 10000; ++i) pts.push_back({i * 0.1, std::sin(i * 0.01)});
    pts[5000].y = 7.0;                                       // a one-sample peak
    pts[8000].y = std::numeric_limits<double>::quiet_NaN();  // a gap
    const auto out = decimate(pts, 1500);
    EXPECT_LE(out.size(), 1500u);
    double peak = -1.0;
    bool gap = false;
    for (const auto& p : out) {
        if (std::isnan(p.y))
            gap = true;
        else
            peak = std::max(peak, p.y);
    }
    EXPECT_EQ(peak, 7.0);
    EXPECT_TRUE(gap);
    for (std::size_t i = 1; i < out.size(); ++i) EXPECT_LE(out[i - 1].x, out[i].x);
}

TEST(HtmlSvg, EmptyPlotSaysNoData) {
    LinePlot p;
    p.id = "empty";
    p.title = "nothing";
    p.series.push_back({"a", {}, Stroke::solid, 0});
    p.series.push_back({"b", {{0.0, std::nan("")}, {1.0, 2.0}}, Stroke::dashed, 1});  // one point
    const auto s = line_plot(p);
    EXPECT_NE(s.find(">no data<"), std::string::npos);
    EXPECT_EQ(s.find("<polyline"), std::string::npos);
}

}  // namespace
}  // namespace secondear::report::svg
