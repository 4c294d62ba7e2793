#include "report/html_report.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "report/svg.hpp"

namespace secondear::report {
namespace {

using nlohmann::json;
using svg::escape;
using svg::number;

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
// Timelines in the report JSON are sampled every 100 ms (the *_per_100ms keys).
constexpr double k_timeline_step_s = 0.1;

const json& field(const json& j, const char* key) {
    static const json null_json;
    if (!j.is_object()) return null_json;
    const auto it = j.find(key);
    return it == j.end() ? null_json : *it;
}

std::optional<double> num(const json& j, const char* key) {
    const json& v = field(j, key);
    if (v.is_number()) return v.get<double>();
    return std::nullopt;
}

std::string str(const json& j, const char* key) {
    const json& v = field(j, key);
    return v.is_string() ? v.get<std::string>() : std::string();
}

const json& arr(const json& j, const char* key) {
    static const json empty = json::array();
    const json& v = field(j, key);
    return v.is_array() ? v : empty;
}

// ---- units and values -------------------------------------------------------------------------

struct KeyUnit {
    std::string name;
    std::string unit;
};

// The unit of a JSON key from its suffix (STYLE.md 2.2: units live in names).
KeyUnit key_unit(const std::string& key) {
    static const std::vector<std::pair<std::string, std::string>> suffixes = {
        {"_db_per_octave", "dB/oct"},
        {"_dbfs", "dBFS"},
        {"_dbtp", "dBTP"},
        {"_lufs", "LUFS"},
        {"_lu", "LU"},
        {"_db", "dB"},
        {"_hz", "Hz"},
        {"_ms", "ms"},
        {"_s", "s"},
        {"_frames", "frames"},
        {"_samples", "samples"},
        {"_bpm", "BPM"},
        {"_pct", "%"},
        {"_percent", "%"}};
    for (const auto& [suffix, unit] : suffixes)
        if (key.size() > suffix.size() && key.ends_with(suffix)) {
            std::string name = key.substr(0, key.size() - suffix.size());
            std::replace(name.begin(), name.end(), '_', ' ');
            return {name, unit};
        }
    std::string name = key;
    std::replace(name.begin(), name.end(), '_', ' ');
    return {name, ""};
}

int decimals_for(double v) {
    const double a = std::abs(v);
    return a >= 100.0 ? 0 : a >= 10.0 ? 1 : a >= 0.01 || a == 0.0 ? 2 : 4;
}

std::string with_unit(const std::string& value, const std::string& unit) {
    return unit.empty() ? value : value + "\u00a0" + unit;
}

std::string value_html(const json& v, const std::string& unit);

// An object on one line: "key value unit, ..." (EQ bands, nested params).
std::string inline_object(const json& obj) {
    std::string out;
    for (const auto& [k, v] : obj.items()) {
        const auto ku = key_unit(k);
        if (!out.empty()) out += ", ";
        out += escape(ku.name) + " " + value_html(v, ku.unit);
    }
    return out;
}

std::string value_html(const json& v, const std::string& unit) {
    if (v.is_null())
        // null in our JSON is silence in a level (-inf dB) or "not set".
        return unit.empty() ? "none" : with_unit("\u2212\u221e", escape(unit));
    if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
    if (v.is_number()) {
        const double d = v.get<double>();
        return with_unit(number(d, decimals_for(d)), escape(unit));
    }
    if (v.is_string()) return escape(v.get<std::string>());
    if (v.is_object()) return inline_object(v);
    std::string out;
    for (const auto& e : v) {
        if (!out.empty()) out += "; ";
        out += value_html(e, unit);
    }
    return out.empty() ? "none" : out;
}

// Evidence, measurements or parameters: a small key/value list with units from the key suffix.
std::string kv_list(const json& obj, const char* css = "kv") {
    if (!obj.is_object() || obj.empty()) return {};
    std::string out = fmt::format("<dl class=\"{}\">", css);
    for (const auto& [k, v] : obj.items()) {
        const auto ku = key_unit(k);
        out += fmt::format("<div><dt>{}</dt><dd>{}</dd></div>", escape(ku.name),
                           value_html(v, ku.unit));
    }
    return out + "</dl>";
}

std::string lufs(const std::optional<double>& v) {
    return v ? number(*v, 1) + "\u00a0LUFS" : std::string("silent");
}
std::string dbtp(const std::optional<double>& v) {
    return v ? fmt::format("{:+.1f}\u00a0dBTP", *v) : std::string("silent");
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// ---- data for the plots -----------------------------------------------------------------------

std::vector<svg::Point> timeline(const json& values) {
    std::vector<svg::Point> out;
    if (!values.is_array()) return out;
    out.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        out.push_back({static_cast<double>(i) * k_timeline_step_s,
                       values[i].is_number() ? values[i].get<double>() : k_nan});
    return out;
}

std::vector<svg::Point> spectrum_points(const json& bands) {
    std::vector<svg::Point> out;
    if (!bands.is_array()) return out;
    for (const auto& b : bands) {
        const auto hz = num(b, "hz");
        if (!hz || *hz <= 0.0) continue;
        const auto db = num(b, "db");
        out.push_back({*hz, db ? *db : k_nan});
    }
    return out;
}

struct YRange {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    void add(double v) {
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    void add(const std::vector<svg::Point>& pts) {
        for (const auto& p : pts) add(p.y);
    }
    bool empty() const { return !(hi >= lo); }
};

// A y axis covering the data (and guides) rounded out to `step`, at most `max_span` tall below
// its top so that silence or a deep notch does not squash the interesting part.
svg::Axis y_axis(const std::string& label, YRange r, double step, double max_span) {
    if (r.empty()) return {label, 0.0, 1.0, svg::Scale::linear};
    double hi = std::ceil(r.hi / step) * step, lo = std::floor(r.lo / step) * step;
    if (hi - lo < step) hi = lo + step;
    lo = std::max(lo, hi - max_span);
    return {label, lo, hi, svg::Scale::linear};
}

double duration_of(const json& analysis) {
    if (auto d = num(analysis, "duration_s")) return *d;
    return static_cast<double>(arr(analysis, "short_term_lufs_per_100ms").size()) *
           k_timeline_step_s;
}

std::vector<svg::Band> section_bands(const json& sections) {
    std::vector<svg::Band> out;
    for (const auto& s : sections)
        out.push_back(
            {num(s, "start_s").value_or(0.0), num(s, "end_s").value_or(0.0), str(s, "label")});
    return out;
}

// ---- page pieces ------------------------------------------------------------------------------

constexpr const char* k_css = R"css(
:root{--ink:#1b1b1b;--muted:#555;--line:#c9c9c9;--paper:#fff;--soft:#f4f4f1}
*{box-sizing:border-box}
body{margin:0;background:var(--paper);color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header,main,footer{max-width:980px;margin:0 auto;padding:0 20px}
header{padding-top:24px;border-bottom:2px solid var(--ink)}
header p{margin:.2em 0 1em;color:var(--muted)}
nav ul{list-style:none;padding:0;margin:0 0 12px;display:flex;flex-wrap:wrap;gap:4px 16px}
h1{font-size:1.7rem;margin:0 0 .2em}h2{font-size:1.35rem;margin:1.6em 0 .5em;border-bottom:1px solid var(--line)}
h3{font-size:1.1rem;margin:1.3em 0 .4em}h4{font-size:1rem;margin:.8em 0 .2em}
a{color:#0b4f8a}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;background:var(--soft);padding:0 3px}
.lead{font-size:1.1rem}
.ok{font-weight:600}.ok::before{content:"\2713  "}.notok{font-weight:600;text-decoration:underline}.notok::before{content:"\2717  "}
figure{margin:1.2em 0;break-inside:avoid}figcaption{color:var(--muted);font-size:.92rem}
svg.plot{width:100%;height:auto;display:block;font-size:11px}
svg .frame{fill:none;stroke:#888}svg .grid{stroke:#e3e3e3}svg .tick{fill:#444}svg .axislabel{fill:#222;font-size:12px}
svg .legend{fill:#222;font-size:12px}svg .series{fill:none;stroke-width:1.6}
svg .c0{stroke:#595959}svg .c1{stroke:#0b4f8a}svg .c2{stroke:#9a4a00}svg .c3{stroke:#2b6e3a}
svg .band0{fill:#efefe8}svg .band1{fill:#e2e6ee}svg .bandlabel{fill:#333;font-size:10px}figcaption strong{color:var(--ink)}
svg .guide{stroke:#7a1f1f;stroke-width:1.2}svg .guidelabel{fill:#7a1f1f;font-size:11px;paint-order:stroke;stroke:#fff;stroke-width:3px}
svg .bar.before{fill:#fff;stroke:#444;stroke-width:1.2}svg .bar.after{fill:#0b4f8a}
svg .zero{stroke:#444}svg .rowlabel{fill:#222;font-size:12px}svg .value{fill:#222;font-size:12px}
svg .lane{fill:#fafafa;stroke:#ddd}svg .wave{fill:#6d89a8;stroke:#3d5a7a;stroke-width:.5}
svg .nodata{fill:#555;font-size:16px;font-style:italic}
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.93rem}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid var(--ink)}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.meterc{white-space:nowrap;font-variant-numeric:tabular-nums}
.meter{display:inline-block;position:relative;width:90px;height:10px;border:1px solid #666;vertical-align:middle;margin-right:6px;background:#fff}
.meter .fill{position:absolute;left:0;top:0;bottom:0;background:#0b4f8a}
.meter .mark{position:absolute;top:-2px;bottom:-2px;width:3px;margin-left:-1px;background:#1b1b1b}
.meter .centre{position:absolute;left:50%;top:0;bottom:0;border-left:1px dashed #999}
dl.kv{display:flex;flex-wrap:wrap;gap:2px 14px;margin:.2em 0 .4em;font-size:.9rem}
dl.kv div{display:flex;gap:5px}dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;font-variant-numeric:tabular-nums}
dl.params dt{color:var(--muted)}
.decision{border-left:3px solid var(--line);padding:2px 0 2px 10px;margin:.6em 0}
.decision.left_alone{border-left-style:dashed}
.tag{display:inline-block;border:1px solid #888;border-radius:3px;padding:0 5px;font-size:.8rem;margin-left:6px}
.stems{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:0 18px}.player{margin:.4em 0}.player audio{width:100%;max-width:560px;display:block}
.ab button{display:none;font:inherit;padding:6px 12px;margin:4px 8px 4px 0;border:1px solid #333;background:#fff;cursor:pointer}
.ab.ready button{display:inline-block}.ab button[aria-pressed="true"]{background:#1b1b1b;color:#fff}
footer{margin-top:3em;padding:12px 20px 30px;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line)}
@media print{nav,.player,.ab{display:none}body{font-size:11pt}header,main,footer{max-width:none}h2{break-after:avoid}section,figure,.decision{break-inside:avoid-page}a{color:inherit;text-decoration:none}}
)css";

// Toggles which of two loudness-matched players sounds, at the same position.
constexpr const char* k_ab_script = R"js(
(function(){
var a=document.getElementById("ab-before"),b=document.getElementById("ab-after");
var play=document.getElementById("ab-play"),pick=document.querySelectorAll("button[data-ab]");
if(!a||!b||!play)return;
play.parentNode.className+=" ready";
a.volume=Math.min(1,parseFloat(a.getAttribute("data-volume"))||1);
b.volume=Math.min(1,parseFloat(b.getAttribute("data-volume"))||1);
var cur=a;
function show(){for(var i=0;i<pick.length;i++){var on=(pick[i].getAttribute("data-ab")==="after")===(cur===b);pick[i].setAttribute("aria-pressed",on?"true":"false");}
play.textContent=cur.paused?"Play":"Pause";}
function start(el){var p=el.play();if(p&&p.catch)p.catch(function(){show();});}
for(var i=0;i<pick.length;i++)pick[i].addEventListener("click",function(e){
var next=e.currentTarget.getAttribute("data-ab")==="after"?b:a;if(next===cur)return;
var playing=!cur.paused;next.currentTime=cur.currentTime;cur.pause();cur=next;if(playing)start(cur);show();});
play.addEventListener("click",function(){if(cur.paused)start(cur);else cur.pause();show();});
a.addEventListener("pause",show);b.addEventListener("pause",show);a.addEventListener("play",show);b.addEventListener("play",show);
show();
})();
)js";

// A link to a rendered file, relative as given; anything that could reach a network (a URL
// scheme, "//host") is refused, so the page stays offline.
std::optional<std::string> local_href(const std::string& path) {
    if (path.empty() || path.starts_with("//") || path.find(':') != std::string::npos)
        return std::nullopt;
    std::string out;
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '/' || c == '.' || c == '_' || c == '-' || c == '~')
            out += static_cast<char>(c);
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

std::string audio_player(const std::string& label, const std::string& path) {
    const auto href = local_href(path);
    if (!href)
        return fmt::format(
            "<p class=\"player\">{}: <code>{}</code> (not linked: not a local path)</p>",
            escape(label), escape(path));
    return fmt::format(
        "<div class=\"player\"><p>{0}: <a href=\"{1}\"><code>{2}</code></a></p>"
        "<audio controls preload=\"none\" src=\"{1}\" aria-label=\"{0}\"></audio></div>",
        escape(label), *href, escape(path));
}

// A plot with its title above it (as the caption, so it names the figure) and what to read in it.
std::string figure(const std::string& title, const std::string& svg_html,
                   const std::string& caption) {
    return fmt::format("<figure><figcaption><strong>{}.</strong> {}</figcaption>{}</figure>",
                       escape(title), caption, svg_html);
}

std::string section_open(const std::string& id, const std::string& title) {
    return fmt::format("<section id=\"{0}\" aria-labelledby=\"{0}-h\"><h2 id=\"{0}-h\">{1}</h2>",
                       id, escape(title));
}

std::string rationale_html(const json& r) {
    std::string out = "<p class=\"why\">";
    if (const auto code = str(r, "code"); !code.empty())
        out += fmt::format("<code>{}</code> ", escape(code));
    out += escape(str(r, "text")) + "</p>";
    if (const auto ev = kv_list(field(r, "evidence")); !ev.empty())
        out += "<p class=\"kvhead\">Evidence:</p>" + ev;
    return out;
}

std::string processor_html(const json& p) {
    std::string out = fmt::format(
        "<div class=\"decision processor\"><h4><code>{}</code><span "
        "class=\"tag\">{}</span>{}{}</h4>",
        escape(str(p, "id")), escape(str(p, "type")),
        field(p, "enabled").is_boolean() && !field(p, "enabled").get<bool>()
            ? "<span class=\"tag\">bypassed</span>"
            : "",
        field(p, "locked").is_boolean() && field(p, "locked").get<bool>()
            ? "<span class=\"tag\">locked (your edit)</span>"
            : "");
    out += rationale_html(field(p, "rationale"));
    if (const auto params = kv_list(field(p, "params"), "kv params"); !params.empty())
        out += "<p class=\"kvhead\">Settings:</p>" + params;
    if (const auto measured = kv_list(field(p, "measured")); !measured.empty())
        out += "<p class=\"kvhead\">Measured while working:</p>" + measured;
    return out + "</div>";
}

std::string decision_html(const std::string& subject, const std::string& action,
                          const json& rationale) {
    static const std::vector<std::pair<std::string, std::string>> words = {
        {"left_alone", "left alone"}, {"fixed", "fixed"}, {"noted", "noted"}};
    std::string said = action;
    for (const auto& [a, w] : words)
        if (a == action) said = w;
    return fmt::format(
        "<div class=\"decision {}\"><h4>{}<span class=\"tag\">{}</span></h4>{}</div>",
        escape(action), escape(subject), escape(said), rationale_html(rationale));
}

// ---- plots of one master (or of the master stage of a mix) -------------------------------------

std::string spectrum_figure(const json& report, const json& m, const std::string& id) {
    svg::LinePlot p;
    p.id = id;
    p.title = "Spectrum before and after (1/3 octave)";
    p.x = {"Frequency (Hz, log)", 20.0, 20000.0, svg::Scale::log};
    const auto before = spectrum_points(arr(field(m, "before"), "spectrum_third_octave"));
    const auto after = spectrum_points(arr(field(m, "after"), "spectrum_third_octave"));
    p.series.push_back({"before", before, svg::Stroke::dashed, 0});
    p.series.push_back({"after", after, svg::Stroke::solid, 1});
    std::string desc =
        "Long-term average level per third-octave band of the input (dashed) and "
        "the output (solid)";
    for (const char* key : {"target_spectrum", "reference_spectrum"}) {
        const json& src = field(report, key).is_array() ? field(report, key) : field(m, key);
        if (!src.is_array()) continue;
        const bool target = std::string(key) == "target_spectrum";
        p.series.push_back({target ? "target" : "reference", spectrum_points(src),
                            svg::Stroke::dotted, target ? 3 : 2});
        desc += target ? ", and the target curve (dotted)" : ", and the reference (dotted)";
    }
    p.desc = desc + ".";
    YRange r;
    for (const auto& s : p.series) r.add(s.points);
    p.y = y_axis("Level (dB)", r, 6.0, 72.0);
    return figure(p.title, svg::line_plot(p),
                  "Where the energy sits across the frequency range. A curve that rises or falls "
                  "compared with the other shows what the processing changed in tone.");
}

std::string loudness_figure(const json& m, const json& sections, const std::string& id) {
    svg::LinePlot p;
    p.id = id;
    p.title = "Loudness over time (short-term, 3 s window)";
    const auto before = timeline(field(field(m, "before"), "short_term_lufs_per_100ms"));
    const auto after = timeline(field(field(m, "after"), "short_term_lufs_per_100ms"));
    p.series.push_back({"before", before, svg::Stroke::dashed, 0});
    p.series.push_back({"after", after, svg::Stroke::solid, 1});
    YRange r;
    r.add(before);
    r.add(after);
    if (auto t = num(field(m, "target"), "loudness_lufs")) {
        p.guides.push_back({*t, fmt::format("target {} LUFS", number(*t, 1))});
        r.add(*t);
    }
    p.bands = section_bands(sections);
    const double dur = std::max(duration_of(field(m, "before")), duration_of(field(m, "after")));
    p.x = {"Time (s)", 0.0, dur > 0.0 ? dur : 1.0, svg::Scale::linear};
    p.y = y_axis("Short-term loudness (LUFS)", r, 3.0, 36.0);
    p.desc =
        "Short-term loudness (BS.1770, 3 s window) every 100 ms of the input (dashed) and the "
        "output (solid), with the target integrated loudness as a dash-dot line" +
        std::string(p.bands.empty() ? "." : " and the song sections shaded.");
    return figure(p.title, svg::line_plot(p),
                  "How loud each moment is. The output should sit around the target line; gaps are "
                  "silence.");
}

std::string peak_figure(const json& m, const std::string& id) {
    svg::LinePlot p;
    p.id = id;
    p.title = "True peak over time (output)";
    const auto tp = timeline(field(field(m, "after"), "true_peak_dbtp_per_100ms"));
    p.series.push_back({"true peak", tp, svg::Stroke::solid, 1});
    YRange r;
    r.add(tp);
    if (auto c = num(field(m, "target"), "ceiling_dbtp")) {
        p.guides.push_back({*c, fmt::format("ceiling {} dBTP", number(*c, 1))});
        r.add(*c);
    }
    const double dur = tp.empty() ? duration_of(field(m, "after"))
                                  : static_cast<double>(tp.size()) * k_timeline_step_s;
    p.x = {"Time (s)", 0.0, dur > 0.0 ? dur : 1.0, svg::Scale::linear};
    p.y = y_axis("True peak (dBTP)", r, 3.0, 30.0);
    p.desc =
        "Highest true peak (4x oversampled) in each 100 ms of the output, with the ceiling as "
        "a dash-dot line.";
    return figure(p.title, svg::line_plot(p),
                  "The output's peaks must stay at or under the ceiling.");
}

std::string limiter_figure(const json& m, const std::string& id) {
    svg::LinePlot p;
    p.id = id;
    p.title = "Limiter gain reduction over time";
    auto gr = timeline(field(field(m, "limiter"), "gain_reduction_db_per_100ms"));
    // Drawn downwards: reduction takes level away.
    for (auto& pt : gr) pt.y = -std::abs(pt.y);
    p.series.push_back({"gain reduction", gr, svg::Stroke::solid, 2});
    YRange r;
    r.add(gr);
    r.add(0.0);
    const double dur = static_cast<double>(gr.size()) * k_timeline_step_s;
    p.x = {"Time (s)", 0.0, dur > 0.0 ? dur : 1.0, svg::Scale::linear};
    p.y = y_axis("Gain change (dB)", r, 1.0, 24.0);
    p.desc = "Largest gain reduction of the true-peak limiter in each 100 ms, drawn downwards.";
    std::string caption = "How hard the limiter works. Deep, long dips flatten the music.";
    if (auto mx = num(field(m, "limiter"), "max_gain_reduction_db"))
        caption += fmt::format(" Most: {} dB", number(*mx, 1));
    if (auto mean = num(field(m, "limiter"), "mean_gain_reduction_db"))
        caption += fmt::format(", on average {} dB.", number(*mean, 2));
    return figure(p.title, svg::line_plot(p), escape(caption));
}

std::string waveform_figure(const json& analysis, const std::string& label, const std::string& id) {
    svg::Waveform w;
    w.id = id;
    w.title = "Waveform overview: " + label;
    const char* key = field(analysis, "envelope_db_per_100ms").is_array()
                          ? "envelope_db_per_100ms"
                          : "short_term_lufs_per_100ms";
    w.amplitude = timeline(field(analysis, key));
    // dB to linear amplitude: 10^(dB/20); LUFS stand in for dBFS when no envelope is given.
    for (auto& p : w.amplitude)
        if (std::isfinite(p.y)) p.y = std::pow(10.0, std::min(p.y, 0.0) / 20.0);
    w.duration_s = static_cast<double>(w.amplitude.size()) * k_timeline_step_s;
    w.desc = std::string("Mirrored level envelope of the ") + label + " from " +
             (std::string(key) == "envelope_db_per_100ms" ? "its peak envelope"
                                                          : "its short-term loudness") +
             ", every 100 ms.";
    return figure(w.title, svg::waveform(w), escape("Overview of the " + label + "."));
}

std::string stereo_figure(const json& m, const std::string& id) {
    svg::PairedBars b;
    b.id = id;
    b.title = "Stereo picture before and after";
    b.desc =
        "Correlation between left and right (+1 mono, 0 wide, below 0 phase trouble) and the "
        "side level relative to mid, for the input (outlined bars) and output (filled bars).";
    const json& before = field(m, "before");
    const json& after = field(m, "after");
    if (auto cb = num(before, "correlation"), ca = num(after, "correlation"); cb && ca)
        b.rows.push_back({"correlation", *cb, *ca, ""});
    if (auto sb = num(before, "side_mid_ratio_db"), sa = num(after, "side_mid_ratio_db"); sb && sa)
        b.rows.push_back({"side relative to mid", *sb, *sa, "dB"});
    return figure(b.title, svg::paired_bars(b),
                  "Width: a correlation near +1 is close to mono; a higher side level is wider.");
}

std::string master_figures(const json& report, const json& m, const json& sections,
                           const std::string& prefix) {
    std::string out;
    out += spectrum_figure(report, m, prefix + "spectrum");
    out += loudness_figure(m, sections, prefix + "loudness");
    out += peak_figure(m, prefix + "truepeak");
    out += limiter_figure(m, prefix + "limiter");
    out += waveform_figure(field(m, "before"), "input", prefix + "wave-before");
    out += waveform_figure(field(m, "after"), "output", prefix + "wave-after");
    out += stereo_figure(m, prefix + "stereo");
    return out;
}

// ---- words ------------------------------------------------------------------------------------

std::string list_items(const std::vector<std::string>& items) {
    if (items.empty()) return {};
    std::string out = "<ul>";
    for (const auto& i : items) out += "<li>" + i + "</li>";
    return out + "</ul>";
}

std::string ask(const std::string& words, const std::string& why) {
    return fmt::format("<q>{}</q> \u2014 {}", escape(words), escape(why));
}

// Suggestions for a next request, from what the master report shows.
std::vector<std::string> master_suggestions(const json& m) {
    std::vector<std::string> out;
    const json& v = field(m, "verification");
    const json& after = field(m, "after");
    if (field(v, "stopped_at_limiting_bound").is_boolean() &&
        field(v, "stopped_at_limiting_bound").get<bool>())
        out.push_back(ask("make it louder anyway",
                          "the master stopped short of the target to avoid heavy limiting; "
                          "--force goes all the way."));
    if (auto gr = num(field(m, "limiter"), "max_gain_reduction_db"); gr && *gr > 4.0)
        out.push_back(ask("keep more punch", fmt::format("the limiter takes up to {} dB off the "
                                                         "loudest moments.",
                                                         number(*gr, 1))));
    if (auto c = num(after, "correlation"); c && *c > 0.9)
        out.push_back(ask("make it wider", fmt::format("the output is close to mono "
                                                       "(correlation {}).",
                                                       number(*c, 2))));
    if (auto c = num(after, "correlation"); c && *c < 0.2)
        out.push_back(
            ask("make it more mono-compatible",
                fmt::format("left and right are weakly related (correlation {}).", number(*c, 2))));
    if (auto t = num(after, "spectral_tilt_db_per_octave"); t && *t > -2.0)
        out.push_back(ask("make it warmer", "the output leans bright for most music."));
    if (auto t = num(after, "spectral_tilt_db_per_octave"); t && *t < -5.0)
        out.push_back(ask("make it brighter", "the output leans dark for most music."));
    if (auto lra = num(after, "loudness_range_lu"); lra && *lra < 4.0)
        out.push_back(
            ask("more dynamic", fmt::format("the loudness range is only {} LU.", number(*lra, 1))));
    for (const auto& d : arr(m, "left_alone"))
        out.push_back(ask("change the " + str(d, "subject") + " anyway",
                          "left alone on purpose: " + str(field(d, "rationale"), "text")));
    return out;
}

std::string master_summary(const json& m) {
    const json& b = field(m, "before");
    const json& a = field(m, "after");
    const json& t = field(m, "target");
    const json& v = field(m, "verification");
    std::string out = fmt::format(
        "<p class=\"lead\">Mastered <code>{}</code> for <strong>{}</strong>: {} integrated, "
        "true peak at most {}{}.</p>",
        escape(str(m, "input")), escape(str(t, "name")), lufs(num(t, "loudness_lufs")),
        dbtp(num(t, "ceiling_dbtp")),
        str(m, "genre").empty() ? "" : ", " + escape(str(m, "genre")) + " profile");
    out += fmt::format(
        "<p>Loudness went from {} to {}; true peak from {} to {}; loudness range from {} to {} "
        "LU.</p>",
        lufs(num(b, "integrated_lufs")), lufs(num(a, "integrated_lufs")),
        dbtp(num(b, "true_peak_dbtp")), dbtp(num(a, "true_peak_dbtp")),
        number(num(b, "loudness_range_lu").value_or(k_nan), 1),
        number(num(a, "loudness_range_lu").value_or(k_nan), 1));
    const auto err = num(v, "loudness_error_lu");
    const bool peak_ok =
        field(v, "true_peak_ok").is_boolean() && field(v, "true_peak_ok").get<bool>();
    // 0.5 LU: the planner's loudness tolerance (STYLE.md tolerance table, a product decision).
    const bool on_target = err && std::abs(*err) <= 0.5;
    out += fmt::format(
        "<p>Check on the output: <span class=\"{}\">loudness {}</span>, <span class=\"{}\">true "
        "peak {}</span>.</p>",
        on_target ? "ok" : "notok",
        err ? fmt::format("{} LU from the target", number(*err, 2)) : std::string("not measured"),
        peak_ok ? "ok" : "notok", peak_ok ? "under the ceiling" : "over the ceiling");
    std::vector<std::string> done;
    for (const auto& p : arr(m, "processors"))
        done.push_back(fmt::format("<code>{}</code>: {}", escape(str(p, "id")),
                                   escape(str(field(p, "rationale"), "text"))));
    if (!done.empty()) out += "<h3>What was done</h3>" + list_items(done);
    std::vector<std::string> left;
    for (const auto& d : arr(m, "left_alone"))
        left.push_back(fmt::format("<strong>{}</strong>: {}", escape(str(d, "subject")),
                                   escape(str(field(d, "rationale"), "text"))));
    out += "<h3>Left alone</h3>" +
           (left.empty() ? std::string("<p>Nothing was found that needed leaving alone on "
                                       "purpose.</p>")
                         : list_items(left));
    return out;
}

std::string suggestions_html(const std::vector<std::string>& items) {
    // Eight: a summary stays a summary; the rest is in the decisions and problems below.
    constexpr std::size_t shown = 8;
    std::string out = "<h3>You might ask next</h3>";
    if (items.empty())
        return out +
               "<p>Nothing stands out. Describe what you hear in words, for example "
               "<q>a bit more punch</q> or <q>vocals up in the chorus</q>.</p>";
    out += list_items({items.begin(),
                       items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), shown))});
    if (items.size() > shown)
        out += fmt::format("<p>\u2026and {} more: see the problems found below.</p>",
                           items.size() - shown);
    return out;
}

std::string problems_table(const std::vector<std::vector<std::string>>& rows) {
    if (rows.empty()) return "<p>No problems were found.</p>";
    std::string out =
        "<table><thead><tr><th scope=\"col\">Where</th><th scope=\"col\">Problem</th>"
        "<th scope=\"col\">What was found</th><th scope=\"col\">Evidence</th>"
        "<th scope=\"col\">Decision</th></tr></thead><tbody>";
    for (const auto& r : rows) {
        out += "<tr><th scope=\"row\">" + r[0] + "</th>";
        for (std::size_t i = 1; i < r.size(); ++i) out += "<td>" + r[i] + "</td>";
        out += "</tr>";
    }
    return out + "</tbody></table>";
}

std::set<std::string> codes_of(const json& problems) {
    std::set<std::string> out;
    for (const auto& p : problems) out.insert(str(p, "code"));
    return out;
}

// The master's problems: the input's, marked gone or still there after processing, and any new.
void master_problem_rows(const json& m, const std::string& where,
                         std::vector<std::vector<std::string>>& rows) {
    const json& before = arr(field(m, "before"), "problems");
    const json& after = arr(field(m, "after"), "problems");
    const auto before_codes = codes_of(before), after_codes = codes_of(after);
    for (const auto& p : before)
        rows.push_back({escape(where), "<code>" + escape(str(p, "code")) + "</code>",
                        escape(str(p, "text")), kv_list(field(p, "evidence")),
                        after_codes.contains(str(p, "code")) ? "still present in the output"
                                                             : "gone in the output"});
    for (const auto& p : after)
        if (!before_codes.contains(str(p, "code")))
            rows.push_back({escape(where + " (output)"),
                            "<code>" + escape(str(p, "code")) + "</code>", escape(str(p, "text")),
                            kv_list(field(p, "evidence")), "new in the output"});
}

std::string master_decisions(const json& m) {
    std::string out = "<h3 id=\"master-decisions\">Master</h3>";
    for (const auto& p : arr(m, "processors")) out += processor_html(p);
    for (const auto& d : arr(m, "left_alone"))
        out += decision_html(str(d, "subject"), str(d, "action"), field(d, "rationale"));
    for (const auto& d : arr(m, "notes"))
        out += decision_html(str(d, "subject"), str(d, "action"), field(d, "rationale"));
    return out;
}

std::string page_open(const std::string& title, const std::string& subtitle,
                      const std::vector<std::pair<std::string, std::string>>& nav) {
    std::string out = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>{0}</title><style>{1}</style></head><body><header><h1>{0}</h1><p>{2}</p>"
        "<nav aria-label=\"Contents\"><ul>",
        escape(title), k_css, subtitle);
    for (const auto& [id, label] : nav)
        out += fmt::format("<li><a href=\"#{}\">{}</a></li>", id, escape(label));
    return out + "</ul></nav></header><main>";
}

std::string page_close(bool with_ab_script) {
    std::string out =
        "</main><footer><p>Made by secondear. Every number comes from report.json beside this "
        "page; plots are drawn from the same data.</p></footer>";
    if (with_ab_script) out += std::string("<script>") + k_ab_script + "</script>";
    return out + "</body></html>\n";
}

// ---- master -----------------------------------------------------------------------------------

std::string master_page(const json& r) {
    std::string out =
        page_open("Master report", escape(str(r, "input")) + " \u2192 " + escape(str(r, "output")),
                  {{"summary", "Summary"},
                   {"listen", "Listen"},
                   {"pictures", "Pictures"},
                   {"decisions", "Decisions"},
                   {"problems", "Problems"}});
    out += section_open("summary", "Summary") + master_summary(r) +
           suggestions_html(master_suggestions(r)) + "</section>";
    out += section_open("listen", "Listen") + audio_player("Input", str(r, "input")) +
           audio_player("Master", str(r, "output")) + "</section>";
    out += section_open("pictures", "Pictures") +
           master_figures(r, r, arr(field(r, "plan"), "sections"), "m-") + "</section>";
    out += section_open("decisions", "Decisions and reasons") + master_decisions(r) + "</section>";
    std::vector<std::vector<std::string>> rows;
    master_problem_rows(r, "master", rows);
    out += section_open("problems", "Problems found") + problems_table(rows) + "</section>";
    return out + page_close(false);
}

// ---- mix --------------------------------------------------------------------------------------

std::string fader_meter(double db) {
    // The meter spans -30..+10 dB, where faders live in practice.
    const double pct = std::clamp((db + 30.0) / 40.0, 0.0, 1.0) * 100.0;
    return fmt::format(
        "<span class=\"meter\" aria-hidden=\"true\"><span class=\"fill\" style=\"width:{}%\">"
        "</span></span>{}\u00a0dB",
        number(pct, 1), number(db, 1));
}

std::string pan_meter(double pan) {
    const double pct = std::clamp((pan + 1.0) / 2.0, 0.0, 1.0) * 100.0;
    const std::string said =
        std::abs(pan) < 0.005
            ? "centre"
            : fmt::format("{}% {}", number(std::abs(pan) * 100.0, 0), pan < 0.0 ? "left" : "right");
    return fmt::format(
        "<span class=\"meter\" aria-hidden=\"true\"><span class=\"centre\"></span>"
        "<span class=\"mark\" style=\"left:{}%\"></span></span>{}",
        number(pct, 1), said);
}

std::string chain_types(const json& chain) {
    std::string out;
    for (const auto& p : chain) {
        if (!out.empty()) out += " \u2192 ";
        out += escape(str(p, "type"));
    }
    return out.empty() ? "\u2014" : out;
}

std::string console_table(const json& r) {
    std::string out =
        "<table class=\"console\"><caption>The console: each track's fader, pan, processing "
        "and sends as planned.</caption><thead><tr><th scope=\"col\">Track</th>"
        "<th scope=\"col\">Role</th><th scope=\"col\">Group</th><th scope=\"col\">Fader</th>"
        "<th scope=\"col\">Pan</th><th scope=\"col\">Chain</th><th scope=\"col\">Sends</th>"
        "<th scope=\"col\">Stem loudness</th></tr></thead><tbody>";
    for (const auto& t : arr(r, "tracks")) {
        std::string sends;
        for (const auto& s : arr(t, "sends")) {
            if (!sends.empty()) sends += ", ";
            sends += escape(str(s, "bus")) + " " + number(num(s, "level_db").value_or(k_nan), 1) +
                     "\u00a0dB";
        }
        const auto stem = num(t, "stem_lufs"), target = num(t, "target_lufs");
        std::string level = stem ? number(*stem, 1) + "\u00a0LUFS" : std::string("\u2014");
        if (target) level += " (aim " + number(*target, 1) + ")";
        std::string role = escape(str(t, "role"));
        if (auto c = num(t, "role_confidence"))
            role += fmt::format(" ({}%)", number(*c * 100.0, 0));
        out += fmt::format(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td class=\"meterc\">{}</td>"
            "<td class=\"meterc\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            escape(str(t, "name")), role, escape(str(t, "group")),
            fader_meter(num(t, "fader_db").value_or(0.0)), pan_meter(num(t, "pan").value_or(0.0)),
            chain_types(arr(t, "chain")), sends.empty() ? "\u2014" : sends, level);
    }
    for (const auto& b : arr(r, "buses"))
        out += fmt::format(
            "<tr><th scope=\"row\">{} <span class=\"tag\">{} bus</span></th><td></td><td></td>"
            "<td class=\"meterc\">{}</td><td></td><td>{}</td><td></td><td></td></tr>",
            escape(str(b, "name")), escape(str(b, "kind")),
            fader_meter(num(b, "fader_db").value_or(0.0)), chain_types(arr(b, "chain")));
    return out + "</tbody></table>";
}

std::string lanes_figure(const json& r, const json& sections, double duration_s) {
    svg::LaneMap map;
    map.id = "x-lanes";
    map.title = "Sections and automation";
    map.duration_s = duration_s;
    map.sections = section_bands(sections);
    auto add_lanes = [&](const json& owner) {
        for (const auto& lane : arr(owner, "automation")) {
            svg::Lane l;
            const std::string param = str(lane, "param");
            l.label = str(owner, "name") + ": " + key_unit(param).name;
            l.unit = key_unit(param).unit;
            for (const auto& p : arr(lane, "points"))
                l.points.push_back(
                    {num(p, "time_s").value_or(0.0), num(p, "value").value_or(k_nan)});
            map.lanes.push_back(std::move(l));
        }
    };
    for (const auto& t : arr(r, "tracks")) add_lanes(t);
    for (const auto& b : arr(r, "buses")) add_lanes(b);
    map.desc = fmt::format(
        "The song's {} sections as a strip, and {} automation lanes below it, "
        "each scaled to its own range.",
        map.sections.size(), map.lanes.size());
    return figure(map.title, svg::lane_map(map),
                  "Where the song's parts are, and which settings move across them.");
}

std::string sections_table(const json& sections) {
    if (sections.empty()) return "<p>No sections were found.</p>";
    std::string out =
        "<table><caption>Sections found in the song</caption><thead><tr>"
        "<th scope=\"col\">Section</th><th scope=\"col\">From</th><th scope=\"col\">To</th>"
        "<th scope=\"col\">Confidence</th></tr></thead><tbody>";
    for (const auto& s : sections)
        out += fmt::format(
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}\u00a0s</td>"
            "<td class=\"num\">{}\u00a0s</td><td class=\"num\">{}%</td></tr>",
            escape(str(s, "label")), number(num(s, "start_s").value_or(k_nan), 1),
            number(num(s, "end_s").value_or(k_nan), 1),
            number(num(s, "confidence").value_or(k_nan) * 100.0, 0));
    return out + "</tbody></table>";
}

std::string owner_decisions(const json& owner, bool is_bus) {
    std::string out = fmt::format("<h3>{}{}</h3>", escape(str(owner, "name")),
                                  is_bus ? " <span class=\"tag\">bus</span>" : "");
    if (!is_bus) {
        std::string facts = fmt::format("Role: {}", escape(str(owner, "role")));
        if (auto c = num(owner, "role_confidence"))
            facts += fmt::format(" ({}% sure)", number(*c * 100.0, 0));
        facts += fmt::format("; fader {}\u00a0dB; pan {}",
                             number(num(owner, "fader_db").value_or(0.0), 1),
                             number(num(owner, "pan").value_or(0.0), 2));
        if (auto s = num(owner, "stem_lufs"))
            facts += fmt::format("; stem {}\u00a0LUFS", number(*s, 1));
        if (auto t = num(owner, "target_lufs"))
            facts += fmt::format(" aiming at {}\u00a0LUFS", number(*t, 1));
        out += "<p>" + facts + ".</p>";
    }
    if (const auto before = kv_list(field(owner, "measured_before")); !before.empty())
        out += "<p class=\"kvhead\">Measured before mixing:</p>" + before;
    for (const auto& p : arr(owner, "chain")) out += processor_html(p);
    for (const auto& s : arr(owner, "sends")) {
        out += fmt::format(
            "<div class=\"decision send\"><h4>Send to {}<span class=\"tag\">{}\u00a0dB</span></h4>",
            escape(str(s, "bus")), number(num(s, "level_db").value_or(k_nan), 1));
        out += rationale_html(field(s, "rationale")) + "</div>";
    }
    for (const auto& a : arr(owner, "automation")) {
        out += fmt::format(
            "<div class=\"decision automation\"><h4>Automation of {}<span class=\"tag\">{} "
            "points</span></h4>",
            escape(str(a, "param")), arr(a, "points").size());
        out += rationale_html(field(a, "rationale")) + "</div>";
    }
    for (const auto& d : arr(owner, "decisions"))
        out += decision_html(str(owner, "name"), str(d, "action"), field(d, "rationale"));
    return out;
}

std::string mix_summary(const json& r) {
    const json& tracks = arr(r, "tracks");
    std::size_t procs = 0, sends = 0, lanes = 0, fixed = 0, left = 0;
    // Tracks left alone for the same reason are listed together: "reason: a, b, c".
    std::vector<std::pair<std::string, std::string>> left_alone;
    for (const auto& t : tracks) {
        procs += arr(t, "chain").size();
        sends += arr(t, "sends").size();
        lanes += arr(t, "automation").size();
        for (const auto& p : arr(t, "problems")) {
            if (str(p, "decision") == "fixed") ++fixed;
            if (str(p, "decision") == "left_alone") ++left;
        }
        for (const auto& d : arr(t, "decisions"))
            if (str(d, "action") == "left_alone") {
                const std::string text = str(field(d, "rationale"), "text");
                auto it = std::find_if(left_alone.begin(), left_alone.end(),
                                       [&](const auto& e) { return e.first == text; });
                if (it == left_alone.end())
                    left_alone.emplace_back(text, escape(str(t, "name")));
                else
                    it->second += ", " + escape(str(t, "name"));
            }
    }
    for (const auto& b : arr(r, "buses")) {
        procs += arr(b, "chain").size();
        lanes += arr(b, "automation").size();
    }
    std::set<std::string> groups;
    for (const auto& t : tracks)
        if (!str(t, "group").empty()) groups.insert(str(t, "group"));
    std::string group_list;
    for (const auto& g : groups) group_list += (group_list.empty() ? "" : ", ") + escape(g);
    std::string out = fmt::format(
        "<p class=\"lead\">Mixed {} tracks{} into <code>{}</code>, then mastered into "
        "<code>{}</code>.</p>",
        tracks.size(), group_list.empty() ? "" : " (groups: " + group_list + ")",
        escape(str(field(r, "files"), "mix")), escape(str(field(r, "files"), "master")));
    out += fmt::format(
        "<p>{} processors on tracks and buses, {} sends, {} automation lanes{}. Problems found "
        "in the tracks: {} fixed, {} left alone on purpose.</p>",
        procs, sends, lanes,
        num(r, "tempo_bpm") ? fmt::format("; tempo {}\u00a0BPM", number(*num(r, "tempo_bpm"), 1))
                            : std::string(),
        fixed, left);
    std::vector<std::string> left_items;
    for (const auto& [text, names] : left_alone)
        left_items.push_back(
            fmt::format("{} <span class=\"who\">({})</span>", escape(text), names));
    if (!left_items.empty()) out += "<h3>Left alone in the tracks</h3>" + list_items(left_items);
    if (field(r, "master").is_object())
        out += "<h3>The master</h3>" + master_summary(field(r, "master"));
    return out;
}

std::vector<std::string> mix_suggestions(const json& r) {
    // Problems left alone, one suggestion per problem code naming every track that has it.
    struct Left {
        std::string code, text, names;
    };
    std::vector<Left> left;
    std::vector<std::string> out;
    for (const auto& t : arr(r, "tracks")) {
        for (const auto& p : arr(t, "problems")) {
            if (str(p, "decision") != "left_alone") continue;
            auto it = std::find_if(left.begin(), left.end(),
                                   [&](const Left& l) { return l.code == str(p, "code"); });
            if (it == left.end())
                left.push_back({str(p, "code"), str(p, "text"), str(t, "name")});
            else
                it->names += ", " + str(t, "name");
        }
        // 0.6: below this the role guess is closer to a coin toss than to a reading.
        if (auto c = num(t, "role_confidence"); c && *c < 0.6)
            out.push_back(ask(str(t, "name") + " is a ...",
                              fmt::format("the role guess '{}' was unsure ({}%); naming the role "
                                          "gets it the right treatment.",
                                          str(t, "role"), number(*c * 100.0, 0))));
    }
    for (const auto& l : left)
        out.push_back(ask("fix the " + lower(key_unit(l.code).name) + " on " + l.names,
                          l.text + " It was left alone on purpose."));
    for (auto& s : master_suggestions(field(r, "master"))) out.push_back(std::move(s));
    return out;
}

std::string mix_page(const json& r) {
    const json& files = field(r, "files");
    const json& m = field(r, "master");
    const json& sections = arr(r, "sections");
    std::string out = page_open(
        "Mix report",
        fmt::format("{} tracks \u2192 {}", arr(r, "tracks").size(), escape(str(files, "mix"))),
        {{"summary", "Summary"},
         {"listen", "Listen"},
         {"console", "Console"},
         {"pictures", "Pictures"},
         {"decisions", "Decisions"},
         {"problems", "Problems"}});
    out += section_open("summary", "Summary") + mix_summary(r) +
           suggestions_html(mix_suggestions(r)) + "</section>";
    out += section_open("listen", "Listen") + audio_player("Mix", str(files, "mix")) +
           audio_player("Master", str(files, "master"));
    if (!arr(files, "stems").empty()) {
        out += "<h3>Processed stems</h3><div class=\"stems\">";
        for (const auto& s : arr(files, "stems"))
            if (s.is_string())
                out += audio_player(std::filesystem::path(s.get<std::string>()).stem().string(),
                                    s.get<std::string>());
        out += "</div>";
    }
    out += "</section>";
    out += section_open("console", "Console") + console_table(r) + sections_table(sections) +
           "</section>";
    double duration = duration_of(field(r, "mix"));
    if (!(duration > 0.0)) duration = duration_of(field(m, "before"));
    for (const auto& s : sections) duration = std::max(duration, num(s, "end_s").value_or(0.0));
    out += section_open("pictures", "Pictures") + lanes_figure(r, sections, duration) +
           "<h3>The master: the mix going in, the master coming out</h3>" +
           master_figures(r, m, sections, "x-") + "</section>";
    out += section_open("decisions", "Decisions and reasons, by track");
    for (const auto& t : arr(r, "tracks")) out += owner_decisions(t, false);
    for (const auto& b : arr(r, "buses")) out += owner_decisions(b, true);
    if (!arr(r, "decisions").empty()) {
        out += "<h3>The whole mix</h3>";
        for (const auto& d : arr(r, "decisions"))
            out += decision_html(str(d, "subject"), str(d, "action"), field(d, "rationale"));
    }
    if (m.is_object()) out += master_decisions(m);
    out += "</section>";
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : arr(r, "tracks"))
        for (const auto& p : arr(t, "problems")) {
            const std::string d = str(p, "decision");
            rows.push_back({escape(str(t, "name")), "<code>" + escape(str(p, "code")) + "</code>",
                            escape(str(p, "text")), kv_list(field(p, "evidence")),
                            d == "left_alone" ? "left alone" : escape(d)});
        }
    for (const auto& p : arr(field(r, "mix"), "problems"))
        rows.push_back({"mix", "<code>" + escape(str(p, "code")) + "</code>",
                        escape(str(p, "text")), kv_list(field(p, "evidence")),
                        "handed to the master"});
    if (m.is_object()) master_problem_rows(m, "master", rows);
    out += section_open("problems", "Problems found") + problems_table(rows) + "</section>";
    return out + page_close(false);
}

// ---- revision ---------------------------------------------------------------------------------

std::optional<double> lufs_of(const json& r, const char* side) {
    if (auto v = num(field(r, side), "integrated_lufs")) return v;
    for (const auto& v : arr(r, "verification"))
        if (str(v, "measure").find("integrated_lufs") != std::string::npos) return num(v, side);
    return std::nullopt;
}

std::string directive_text(const json& d) {
    if (d.is_string()) return escape(d.get<std::string>());
    if (d.is_object()) return inline_object(d);
    return escape(d.dump());
}

std::string ab_player(const json& r) {
    const json& files = field(r, "files");
    const auto before = local_href(str(files, "before")), after = local_href(str(files, "after"));
    if (!before || !after) return "<p>The before and after files are not local paths.</p>";
    const auto lb = lufs_of(r, "before"), la = lufs_of(r, "after");
    double vol_before = 1.0, vol_after = 1.0;
    std::string note = "Loudness of the two files is not in the report, so they play as they are.";
    if (lb && la) {
        // Turn the louder one down by the difference in integrated loudness (BS.1770), so the
        // comparison is about the change, not about level: gain_lin = 10^(-diff_db / 20).
        const double diff = *la - *lb;
        (diff > 0.0 ? vol_after : vol_before) = std::pow(10.0, -std::abs(diff) / 20.0);
        note = std::abs(diff) < 0.05
                   ? "Both files have the same loudness; they play as they are."
                   : fmt::format(
                         "Loudness-matched: the {} file is {} dB louder, so it plays {} dB "
                         "quieter here.",
                         diff > 0.0 ? "after" : "before", number(std::abs(diff), 1),
                         number(std::abs(diff), 1));
    }
    return fmt::format(
        "<div class=\"ab\" role=\"group\" aria-label=\"A/B comparison\"><h3>A/B at matched "
        "loudness</h3><p>{}</p>"
        "<audio id=\"ab-before\" preload=\"none\" src=\"{}\" data-volume=\"{}\"></audio>"
        "<audio id=\"ab-after\" preload=\"none\" src=\"{}\" data-volume=\"{}\"></audio>"
        "<noscript>The A/B switch needs scripts; use the two players below.</noscript>"
        "<button type=\"button\" id=\"ab-play\">Play</button>"
        "<button type=\"button\" data-ab=\"before\" aria-pressed=\"true\">A: before</button>"
        "<button type=\"button\" data-ab=\"after\" aria-pressed=\"false\">B: after</button>"
        "</div>",
        escape(note), *before, number(vol_before, 4), *after, number(vol_after, 4));
}

std::string revision_page(const json& r) {
    const json& files = field(r, "files");
    std::string out = page_open("Revision report", "\u201c" + escape(str(r, "request")) + "\u201d",
                                {{"summary", "Summary"},
                                 {"listen", "Listen"},
                                 {"pictures", "Pictures"},
                                 {"decisions", "Changes"}});
    const json& changes = arr(r, "changes");
    const json& checks = arr(r, "verification");
    std::size_t ok = 0;
    for (const auto& v : checks) ok += field(v, "ok").is_boolean() && field(v, "ok").get<bool>();
    std::string summary = fmt::format(
        "<p class=\"lead\">You asked: <q>{}</q>. {} setting{} changed; {} of {} checks moved the "
        "way the request meant.</p>",
        escape(str(r, "request")), changes.size(), changes.size() == 1 ? "" : "s", ok,
        checks.size());
    std::vector<std::string> dirs;
    for (const auto& d : arr(r, "directives")) dirs.push_back(directive_text(d));
    if (!dirs.empty()) summary += "<h3>How the words were read</h3>" + list_items(dirs);
    std::vector<std::string> next;
    for (const auto& v : checks)
        if (!(field(v, "ok").is_boolean() && field(v, "ok").get<bool>()))
            next.push_back(ask("undo", str(v, "quality") + " did not move " +
                                           (str(v, "expected") == "up" ? "up" : "down") +
                                           " as expected."));
    if (next.empty() && !changes.empty())
        next.push_back(ask("a bit more", "the same change again, in a smaller or larger step."));
    out += section_open("summary", "Summary") + summary + suggestions_html(next) + "</section>";
    out += section_open("listen", "Listen") + ab_player(r) +
           audio_player("Before", str(files, "before")) +
           audio_player("After", str(files, "after")) + "</section>";

    svg::PairedBars changed;
    changed.id = "r-changes";
    changed.title = "What changed";
    changed.desc =
        "Each numeric setting the revision changed: old value (outlined) and new value "
        "(filled), each row on its own scale.";
    for (const auto& c : changes)
        if (field(c, "from").is_number() && field(c, "to").is_number())
            changed.rows.push_back({str(c, "path"), field(c, "from").get<double>(),
                                    field(c, "to").get<double>(), key_unit(str(c, "path")).unit});
    svg::PairedBars measured;
    measured.id = "r-checks";
    measured.title = "What the output measured";
    measured.desc =
        "Each quality the request aimed at, measured before (outlined) and after "
        "(filled).";
    for (const auto& v : checks)
        if (auto b = num(v, "before"), a = num(v, "after"); b && a)
            measured.rows.push_back({str(v, "quality"), *b, *a, key_unit(str(v, "measure")).unit});
    out += section_open("pictures", "Pictures") +
           figure(changed.title, svg::paired_bars(changed),
                  "Settings before and after the revision.") +
           figure(measured.title, svg::paired_bars(measured),
                  "Measurements before and after the revision.") +
           "</section>";

    out += section_open("decisions", "Changes and checks");
    out +=
        "<table><caption>Every change to the plan</caption><thead><tr><th scope=\"col\">"
        "Setting</th><th scope=\"col\">From</th><th scope=\"col\">To</th><th scope=\"col\">"
        "Reason</th></tr></thead><tbody>";
    for (const auto& c : changes) {
        const auto ku = key_unit(str(c, "path"));
        out += fmt::format(
            "<tr><th scope=\"row\"><code>{}</code></th><td class=\"num\">{}</td>"
            "<td class=\"num\">{}</td><td><code>{}</code></td></tr>",
            escape(str(c, "path")), value_html(field(c, "from"), ku.unit),
            value_html(field(c, "to"), ku.unit), escape(str(c, "code")));
    }
    out +=
        "</tbody></table><table><caption>Checks on the rendered output</caption><thead><tr>"
        "<th scope=\"col\">Quality</th><th scope=\"col\">Measure</th><th scope=\"col\">Before"
        "</th><th scope=\"col\">After</th><th scope=\"col\">Expected</th>"
        "<th scope=\"col\">Result</th></tr></thead><tbody>";
    for (const auto& v : checks) {
        const bool good = field(v, "ok").is_boolean() && field(v, "ok").get<bool>();
        const auto ku = key_unit(str(v, "measure"));
        out += fmt::format(
            "<tr><th scope=\"row\">{}</th><td><code>{}</code></td><td class=\"num\">{}</td>"
            "<td class=\"num\">{}</td><td>{}</td><td><span class=\"{}\">{}</span></td></tr>",
            escape(str(v, "quality")), escape(str(v, "measure")),
            value_html(field(v, "before"), ku.unit), value_html(field(v, "after"), ku.unit),
            escape(str(v, "expected")), good ? "ok" : "notok",
            good ? "as expected" : "not as expected");
    }
    out += "</tbody></table></section>";
    return out + page_close(true);
}

}  // namespace

std::string html_report(const json& report) {
    const std::string kind = str(report, "kind");
    if (kind == "master") return master_page(report);
    if (kind == "mix") return mix_page(report);
    if (kind == "revision") return revision_page(report);
    throw Error(ErrorKind::input_invalid,
                fmt::format("report kind '{}' is not master, mix or revision", kind));
}

}  // namespace secondear::report
