#pragma once
// Delivery destinations (data/targets.json): loudness target and true-peak ceiling, with the
// source of each number.

#include <string>
#include <string_view>
#include <vector>

namespace secondear::intent {

struct DeliveryTarget {
    std::string name;
    double loudness_lufs = -14.0;
    double ceiling_dbtp = -1.0;
    double mono_loudness_lufs = 0.0;  // 0 = same as loudness_lufs
    std::string source;
};

/// The named destination; throws usage (listing the names) when unknown.
DeliveryTarget load_target(std::string_view name);
std::vector<DeliveryTarget> all_targets();
std::string default_target_name();

}  // namespace secondear::intent
