#include "intent/interpret.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "intent/lexicon.hpp"

namespace secondear::intent {

using lexicon::Entry;
using lexicon::Kind;
using lexicon::Lexicon;

std::string_view to_string(Status status) {
    switch (status) {
        case Status::applied:
            return "applied";
        case Status::question:
            return "question";
        case Status::not_understood:
            return "not_understood";
    }
    return "not_understood";
}

namespace {

// ---------------------------------------------------------------- lexemes

enum class Special { none, comma, number, time, unknown };

struct Lexeme {
    Kind kind = Kind::filler;
    Special special = Special::none;
    std::string value;
    double number = 0.0;  // entry number, a parsed number, or a time in seconds
    int sign = 1;
    std::string text;  // the words as typed
};

const std::set<std::string, std::less<>> k_section_cues{
    "the",   "in",   "on",    "at",    "after",  "before", "during",
    "into",  "each", "every", "first", "second", "third",  "last",
    "final", "that", "this",  "from",  "until",  "till",   "through"};

std::optional<double> parse_time(const std::string& token) {
    const auto colon = token.find(':');
    if (colon == std::string::npos) return std::nullopt;
    try {
        return std::stod(token.substr(0, colon)) * 60.0 + std::stod(token.substr(colon + 1));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

struct Lexed {
    std::vector<Lexeme> lexemes;
    std::vector<std::pair<std::string, std::string>> corrections;  // typed -> read as
};

Lexed lex(const std::vector<std::string>& typed, const Lexicon& base, const Lexicon& session) {
    Lexed out;
    std::vector<std::string> tokens = typed;
    for (auto& token : tokens) {
        if (token == "," || std::isdigit(static_cast<unsigned char>(token.front())) ||
            base.knows(token) || session.knows(token)) {
            continue;
        }
        auto fixed = session.correct(token);
        if (!fixed) fixed = base.correct(token);
        if (fixed) {
            out.corrections.emplace_back(token, *fixed);
            token = *fixed;
        }
    }
    for (std::size_t i = 0; i < tokens.size();) {
        const std::string& token = tokens[i];
        Lexeme lx;
        lx.text = typed[i];
        if (token == ",") {
            lx.special = Special::comma;
            out.lexemes.push_back(lx);
            ++i;
            continue;
        }
        std::size_t base_len = 0;
        std::size_t session_len = 0;
        const Entry* entry = base.match(tokens, i, base_len);
        const Entry* own = session.match(tokens, i, session_len);
        if (own && session_len >= base_len) {
            entry = own;
            base_len = session_len;
        }
        if (entry) {
            lx.kind = entry->kind;
            lx.value = entry->value;
            lx.number = entry->number;
            lx.sign = entry->sign;
            for (std::size_t k = 1; k < base_len; ++k) lx.text += " " + typed[i + k];
            // "drop", "build", "break" are verbs unless they follow a section cue ("the drop").
            if (lx.kind == Kind::section &&
                (lx.text == "drop" || lx.text == "build" || lx.text == "break") &&
                (i == 0 || k_section_cues.count(tokens[i - 1]) == 0)) {
                lx.kind = lx.text == "drop" ? Kind::lower : Kind::filler;
            }
            out.lexemes.push_back(lx);
            i += base_len;
            continue;
        }
        if (const auto seconds = parse_time(token)) {
            lx.special = Special::time;
            lx.number = *seconds;
        } else if (std::isdigit(static_cast<unsigned char>(token.front()))) {
            lx.special = Special::number;
            lx.number = std::atof(token.c_str());
        } else {
            lx.special = Special::unknown;
            lx.value = token;
        }
        out.lexemes.push_back(lx);
        ++i;
    }
    return out;
}

bool is_clause_break(const Lexeme& lx) {
    static const std::set<std::string, std::less<>> words{
        "and", "but", "also", "plus", "then", "while", "though", "however", "whereas", "although"};
    return lx.special == Special::comma || (lx.kind == Kind::filler && words.count(lx.text) > 0);
}

// ---------------------------------------------------------------- clauses

struct QualityHit {
    const Quality* quality = nullptr;
    int sign = 1;  // -1 for antonyms ("colder" is less warm)
    int dir = 0;   // +1/-1 from a word bound to this quality ("less mud"), 0 = the clause's
    double amount = -1.0;
    std::string word;
};

struct Clause {
    std::string text;
    std::vector<std::string> targets;          // resolved ids or track names
    std::vector<std::string> missing_targets;  // named, but not in the session
    std::vector<std::string> unknown_after_determiner;
    std::vector<std::string> unknown_words;
    bool mix_target = false;
    bool weak_target = false;
    bool bare_bass = false;
    std::optional<SectionRef> section;
    std::string missing_section;
    std::vector<QualityHit> qualities;
    int level_verb = 0;  // +1 "turn up", -1 "turn down"
    bool too = false, not_so = false, negation = false, enough = false, lack = false;
    bool request = false, copula = false, dislike = false, more = false, less = false;
    bool keep = false, fix = false;
    std::string vague;
    double amount = -1.0;  // a degree not bound to a quality
    std::optional<double> db;

    bool has_direction_cue() const {
        return too || not_so || negation || lack || more || less || dislike || level_verb != 0 ||
               copula;
    }
    bool has_content() const {
        return !qualities.empty() || level_verb != 0 || !targets.empty() || mix_target ||
               !missing_targets.empty() || section || !vague.empty() || fix ||
               !unknown_after_determiner.empty() || !missing_section.empty();
    }
    /// +1 more, -1 less, when no word is bound to the quality itself.
    int direction() const {
        if (too || not_so || dislike) return -1;
        if (less) return -1;
        if (lack || more || (negation && enough)) return 1;
        if (level_verb != 0) return level_verb;
        if (negation) return copula ? 1 : -1;  // "isn't present" wants more; "not harsh" less
        if (request) return 1;
        if (copula) return -1;  // "the vocal sounds thin": a complaint
        return 1;
    }
    bool complains() const { return direction() < 0 && (too || copula || dislike); }
};

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& part : parts) {
        if (!out.empty()) out += sep;
        out += part;
    }
    return out;
}

std::vector<std::string> split_ids(const std::string& value) {
    std::vector<std::string> ids;
    std::size_t start = 0;
    while (start <= value.size()) {
        const auto bar = value.find('|', start);
        ids.push_back(
            value.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    return ids;
}

/// The first candidate id that the session has (as a role, group or track name).
std::optional<std::string> resolve_target(const std::string& candidates,
                                          const InterpretContext& ctx) {
    const auto ids = split_ids(candidates);
    if (ctx.tracks.empty()) return ids.front();
    for (const auto& id : ids) {
        for (const auto& track : ctx.tracks) {
            if (track.role == id || track.group == id || track.name == id) return id;
        }
    }
    return std::nullopt;
}

int last_ordinal(const std::string& label, const InterpretContext& ctx) {
    int last = -1;
    for (const auto& s : ctx.sections) {
        if (s.label == label) last = std::max(last, s.ordinal);
    }
    return last;
}

bool session_has_section(const SectionRef& ref, const InterpretContext& ctx) {
    if (ctx.sections.empty() || ref.label.empty()) return true;
    return std::any_of(ctx.sections.begin(), ctx.sections.end(), [&](const SectionInfo& s) {
        return s.label == ref.label && (ref.ordinal == 0 || s.ordinal == ref.ordinal);
    });
}

Clause analyze(const std::vector<Lexeme>& lxs, const InterpretContext& ctx) {
    Clause c;
    std::vector<std::string> words;
    for (const auto& lx : lxs) words.push_back(lx.text);
    c.text = join(words, " ");

    int pending_dir = 0;
    double pending_amount = -1.0;
    Kind time_cue = Kind::filler;
    int times_seen = 0;
    SectionRef range;
    bool has_range = false;
    const auto prev_kind = [&](std::size_t i, Kind kind) {
        return i > 0 && lxs[i - 1].special == Special::none && lxs[i - 1].kind == kind;
    };
    const auto set_time = [&](double t_s, std::size_t i) {
        has_range = true;
        const bool after_last = i > 0 && lxs[i - 1].kind == Kind::ordinal && lxs[i - 1].number < 0;
        const bool after_first =
            i > 0 && lxs[i - 1].kind == Kind::ordinal && lxs[i - 1].number == 1;
        if (after_last && ctx.duration_s > 0.0) {
            range.from_s = std::max(0.0, ctx.duration_s - t_s);
        } else if (after_first || time_cue == Kind::time_to) {
            range.to_s = t_s;
        } else if (time_cue == Kind::time_between && times_seen > 0) {
            range.to_s = t_s;
        } else {
            range.from_s = t_s;
        }
        ++times_seen;
    };

    for (std::size_t i = 0; i < lxs.size(); ++i) {
        const Lexeme& lx = lxs[i];
        const Lexeme* next = i + 1 < lxs.size() ? &lxs[i + 1] : nullptr;
        if (lx.special == Special::time) {
            set_time(lx.number, i);
            continue;
        }
        if (lx.special == Special::number) {
            if (next && next->special == Special::none && next->kind == Kind::db_unit) {
                c.db = lx.number;
            } else if (next && next->special == Special::none &&
                       (next->kind == Kind::seconds_unit || next->kind == Kind::minutes_unit ||
                        (next->kind == Kind::ordinal && next->number == 2))) {
                // "30 seconds", "2 minutes" ("30 second" reads "second" as the unit)
                set_time(next->kind == Kind::minutes_unit ? lx.number * 60.0 : lx.number, i);
                ++i;
            }
            continue;
        }
        if (lx.special == Special::unknown) {
            c.unknown_words.push_back(lx.value);
            if (prev_kind(i, Kind::determiner)) c.unknown_after_determiner.push_back(lx.value);
            continue;
        }
        if (lx.special == Special::comma) continue;
        switch (lx.kind) {
            case Kind::quality: {
                QualityHit hit{vocabulary().find(lx.value), lx.sign, pending_dir, pending_amount,
                               lx.text};
                c.qualities.push_back(hit);
                pending_dir = 0;
                pending_amount = -1.0;
                break;
            }
            case Kind::target:
                if (const auto id = resolve_target(lx.value, ctx)) {
                    c.targets.push_back(*id);
                } else {
                    c.missing_targets.push_back(lx.text);
                }
                if (lx.text == "bass") c.bare_bass = true;
                break;
            case Kind::track:
                c.targets.push_back(lx.value);
                break;
            case Kind::mix:
                c.mix_target = true;
                break;
            case Kind::weak_mix:
                c.weak_target = true;
                break;
            case Kind::section: {
                SectionRef ref;
                ref.label = lx.value;
                std::size_t back = i;
                while (back > 0 && lxs[back - 1].kind == Kind::determiner &&
                       lxs[back - 1].special == Special::none) {
                    --back;
                }
                if (back > 0 && lxs[back - 1].special == Special::none &&
                    lxs[back - 1].kind == Kind::ordinal) {
                    ref.ordinal = static_cast<int>(lxs[back - 1].number);
                }
                if (next && next->special == Special::number) {
                    ref.ordinal = static_cast<int>(next->number);
                    ++i;
                } else if (next && next->special == Special::none && next->kind == Kind::ordinal &&
                           next->number > 0) {
                    ref.ordinal = static_cast<int>(next->number);
                    ++i;
                }
                if (ref.ordinal < 0 && !ctx.sections.empty()) {
                    ref.ordinal = last_ordinal(ref.label, ctx);
                    if (ref.ordinal < 0) ref.ordinal = 0;
                }
                if (!session_has_section(ref, ctx)) c.missing_section = lx.text;
                c.section = ref;
                break;
            }
            case Kind::time_from:
            case Kind::time_to:
            case Kind::time_between:
                time_cue = lx.kind;
                break;
            case Kind::song_end:
                if (time_cue == Kind::time_to) {
                    has_range = true;
                    if (ctx.duration_s > 0.0) range.to_s = ctx.duration_s;
                } else {
                    c.section = SectionRef{"outro", 0, std::nullopt, std::nullopt};
                    if (!session_has_section(*c.section, ctx)) c.missing_section = "end";
                }
                break;
            case Kind::degree:
                pending_amount = lx.number;
                if (lx.value == "direction") {
                    pending_dir = lx.sign;
                    (lx.sign > 0 ? c.more : c.less) = true;
                }
                if (c.amount < 0.0) c.amount = lx.number;
                break;
            case Kind::more:
                pending_dir = 1;
                c.more = true;
                break;
            case Kind::less:
                pending_dir = -1;
                c.less = true;
                if (lx.value == "fix") c.fix = true;
                break;
            case Kind::too:
                // "..., and the kick too": a closing "too" means "also".
                if (next || lx.text != "too") c.too = true;
                break;
            case Kind::not_so:
                c.not_so = true;
                break;
            case Kind::negation:
                c.negation = true;
                break;
            case Kind::enough:
                c.enough = true;
                break;
            case Kind::lack:
                c.lack = true;
                break;
            case Kind::request:
                c.request = true;
                break;
            case Kind::copula:
                c.copula = true;
                break;
            case Kind::dislike:
                c.dislike = true;
                break;
            case Kind::raise:
                c.level_verb = 1;
                break;
            case Kind::lower:
                c.level_verb = -1;
                break;
            case Kind::keep:
                c.keep = true;
                break;
            case Kind::vague:
                if (c.vague.empty()) c.vague = lx.value;
                break;
            case Kind::ordinal:
            case Kind::determiner:
            case Kind::db_unit:
            case Kind::seconds_unit:
            case Kind::minutes_unit:
            case Kind::filler:
                break;
        }
    }
    // A trailing degree ("warmer, a bit") belongs to the last quality that has none.
    if ((pending_amount >= 0.0 || pending_dir != 0) && !c.qualities.empty()) {
        auto& last = c.qualities.back();
        if (last.amount < 0.0) last.amount = pending_amount;
        if (last.dir == 0) last.dir = pending_dir;
    }
    if (has_range && (range.from_s || range.to_s)) c.section = range;
    return c;
}

// ---------------------------------------------------------------- building the answer

struct Builder {
    const InterpretContext& ctx;
    std::vector<Directive> directives;
    std::optional<Question> question;
    std::vector<std::string> notes;

    Directive make(const std::string& target, const std::optional<SectionRef>& section,
                   const std::string& quality, Direction direction, double amount,
                   const std::string& source) const {
        return Directive{target, section, quality, direction, std::clamp(amount, 0.0, 1.0), source};
    }

    void ask(std::string text, std::vector<QuestionOption> options) {
        if (question) return;  // one question at a time: the first unclear clause
        question = Question{std::move(text), std::move(options), {}};
    }

    std::string lead_vocal() const {
        return resolve_target("lead_vocal|vocals|dialogue", ctx).value_or("lead_vocal");
    }
    bool has_section(const std::string& label) const {
        return ctx.sections.empty() ||
               std::any_of(ctx.sections.begin(), ctx.sections.end(),
                           [&](const SectionInfo& s) { return s.label == label; });
    }
};

std::string label_for(const std::string& target) {
    return target == "mix" ? "the mix" : "the " + target;
}

void ask_vague(Builder& b, const std::string& kind, const std::string& target,
               const std::optional<SectionRef>& section, const std::string& source) {
    const auto d = [&](const std::string& t, const std::string& q, Direction dir = Direction::more,
                       double amount = 0.5, std::optional<SectionRef> s = std::nullopt) {
        return b.make(t, s ? s : section, q, dir, amount, source);
    };
    const std::string& t = target;
    const bool whole_mix = t == "mix";
    const bool chorus_lift = whole_mix && !section && b.has_section("chorus");
    const SectionRef chorus{"chorus", 0, std::nullopt, std::nullopt};
    std::vector<QuestionOption> o;
    std::string text;
    if (kind == "pop") {
        text = "\"Pop\" can mean several things for " + label_for(t) + ". Which one?";
        o.push_back({"brighter and more forward", {d(t, "bright"), d(t, "present")}});
        o.push_back({"punchier", {d(t, "punchy")}});
        if (whole_mix) {
            o.push_back({"the lead vocal louder", {d(b.lead_vocal(), "loud")}});
        } else {
            o.push_back({"louder", {d(t, "loud")}});
        }
        if (chorus_lift)
            o.push_back(
                {"the chorus lifts more", {d("mix", "lift", Direction::more, 0.5, chorus)}});
    } else if (kind == "better") {
        text = "What bothers you most about " + label_for(t) + "?";
        o.push_back({"it is muddy: make it clearer", {d(t, "muddy", Direction::less)}});
        o.push_back({"it lacks punch: make it punchier", {d(t, "punchy")}});
        if (whole_mix) {
            o.push_back({"the vocal is buried: bring it forward", {d(b.lead_vocal(), "present")}});
        } else {
            o.push_back({"it is buried: bring it forward", {d(t, "present")}});
        }
        o.push_back({"it is harsh: make it smoother", {d(t, "harsh", Direction::less)}});
    } else if (kind == "vibe") {
        text = "Which kind of vibe should " + label_for(t) + " get?";
        o.push_back({"warmer, with a little analogue grit",
                     {d(t, "warm"), d(t, "gritty", Direction::more, 0.35)}});
        o.push_back({"more space and depth", {d(t, "spacious")}});
        o.push_back({"more laid-back", {d(t, "laid-back")}});
        o.push_back({"wider", {d(t, "wide")}});
    } else if (kind == "energy") {
        text = "How should " + label_for(t) + " get more energy?";
        o.push_back({"punchier", {d(t, "punchy")}});
        o.push_back({"brighter", {d(t, "bright")}});
        o.push_back({"more aggressive", {d(t, "aggressive")}});
        if (chorus_lift) {
            o.push_back(
                {"the chorus lifts more", {d("mix", "lift", Direction::more, 0.5, chorus)}});
        } else {
            o.push_back({"louder", {d(t, "loud")}});
        }
    } else if (kind == "professional") {
        text = "What would make " + label_for(t) + " sound more finished to you?";
        o.push_back({"more glued and tight", {d(t, "glued"), d(t, "tight")}});
        o.push_back({"clearer and crisper", {d(t, "clear"), d(t, "crisp")}});
        o.push_back({"smoother top end, less harsh", {d(t, "harsh", Direction::less)}});
        if (whole_mix) o.push_back({"louder, like a competitive master", {d("mix", "loud")}});
    } else if (kind == "big") {
        text = "\"Bigger\" can mean several things. Which one?";
        o.push_back({"wider stereo image", {d("mix", "wide")}});
        o.push_back({"fuller low end", {d("mix", "full")}});
        o.push_back({"more space (reverb)", {d("mix", "spacious")}});
        o.push_back({"all of these together", {d("mix", "big")}});
    } else {  // a target with nothing said about it
        text = "What should change on " + label_for(t) + "?";
        o.push_back({"louder", {d(t, "loud")}});
        o.push_back({"quieter", {d(t, "quiet")}});
        o.push_back({"more present", {d(t, "present")}});
        o.push_back({"warmer", {d(t, "warm")}});
    }
    b.ask(std::move(text), std::move(o));
}

/// Directives for one clause whose targets and section are settled.
std::vector<Directive> clause_directives(const Clause& c, const std::vector<std::string>& targets,
                                         const std::optional<SectionRef>& section, int clause_dir,
                                         const Builder& b) {
    std::vector<Directive> out;
    const auto& vocab = vocabulary();
    for (const auto& hit : c.qualities) {
        const int dir = (hit.dir != 0 ? hit.dir : clause_dir) * hit.sign;
        double amount =
            hit.amount >= 0.0 ? hit.amount : (c.amount >= 0.0 ? c.amount : vocab.default_amount);
        if (c.db) {
            // "up 2 dB": the amount whose move is that many dB.
            const auto& m = hit.quality->moves;
            const double unit_db = m.level_db != 0.0 ? std::abs(m.level_db) : vocab.eq_max_db;
            amount = *c.db / unit_db;
        }
        for (const auto& target : targets) {
            out.push_back(b.make(target, section, hit.quality->name,
                                 dir > 0 ? Direction::more : Direction::less, amount, c.text));
        }
    }
    if (c.qualities.empty()) {
        // No quality word: a level change ("more vocal", "turn the guitars down").
        double amount = c.amount >= 0.0 ? c.amount : vocab.default_amount;
        if (c.db) amount = *c.db / std::abs(vocab.find("loud")->moves.level_db);
        for (const auto& target : targets) {
            out.push_back(b.make(target, section, clause_dir > 0 ? "loud" : "quiet",
                                 Direction::more, amount, c.text));
        }
    }
    return out;
}

std::vector<std::string> session_groups(const InterpretContext& ctx) {
    std::vector<std::string> groups;
    for (const auto& t : ctx.tracks) {
        const std::string& g = t.group.empty() ? t.role : t.group;
        if (!g.empty() && std::find(groups.begin(), groups.end(), g) == groups.end())
            groups.push_back(g);
    }
    return groups;
}

Lexicon session_lexicon(const InterpretContext& ctx) {
    Lexicon lex;
    for (const auto& track : ctx.tracks) {
        std::string lower;
        for (char ch : track.name)
            lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
        lex.add(Entry{{lower}, Kind::track, track.name, 0.0, 1});
        std::vector<std::string> parts;
        std::string part;
        for (char ch : lower) {
            if (ch == '_' || ch == '-' || ch == ' ' || ch == '.') {
                if (!part.empty()) parts.push_back(part);
                part.clear();
            } else {
                part.push_back(ch);
            }
        }
        if (!part.empty()) parts.push_back(part);
        if (parts.size() > 1) lex.add(Entry{parts, Kind::track, track.name, 0.0, 1});
    }
    return lex;
}

std::string summarize(const std::vector<Directive>& directives) {
    std::vector<std::string> parts;
    for (const auto& d : directives) parts.push_back(describe(d));
    return join(parts, "; ");
}

const char* k_help =
    "Name a quality (warmer, brighter, punchier, wider, louder, more space, less muddy...), "
    "optionally a track and a section, e.g. \"vocal warmer in the chorus\".";

}  // namespace

std::string describe(const Directive& d) {
    char amount[16];
    std::snprintf(amount, sizeof amount, "%.2f", d.amount);
    std::string out = d.target + ": " + std::string(to_string(d.direction)) + " " + d.quality +
                      " (" + amount + ")";
    if (d.section) {
        const auto& s = *d.section;
        if (!s.label.empty()) {
            out += " in " + s.label;
            if (s.ordinal > 0) out += " " + std::to_string(s.ordinal);
            if (s.ordinal < 0) out += " (last)";
        } else {
            const auto clock = [](double t_s) {
                char text[16];
                const int total = static_cast<int>(std::lround(t_s));
                std::snprintf(text, sizeof text, "%d:%02d", total / 60, total % 60);
                return std::string(text);
            };
            out += " from " + (s.from_s ? clock(*s.from_s) : std::string("the start"));
            out += " to " + (s.to_s ? clock(*s.to_s) : std::string("the end"));
        }
    }
    return out;
}

Interpretation interpret(std::string_view text, const InterpretContext& ctx) {
    const Lexicon& base = Lexicon::standard();
    const Lexicon session = session_lexicon(ctx);
    const Lexed lexed = lex(lexicon::tokenize(text), base, session);

    // Split into clauses at commas and conjunctions ("between 1:00 and 1:30" stays whole).
    std::vector<std::vector<Lexeme>> groups(1);
    for (const auto& lx : lexed.lexemes) {
        const bool in_between =
            std::any_of(groups.back().begin(), groups.back().end(), [](const Lexeme& l) {
                return l.special == Special::none && l.kind == Kind::time_between;
            });
        if (is_clause_break(lx) && !(in_between && lx.text == "and")) {
            if (!groups.back().empty()) groups.emplace_back();
            continue;
        }
        groups.back().push_back(lx);
    }
    std::vector<Clause> clauses;
    for (const auto& g : groups) {
        if (g.empty()) continue;
        Clause c = analyze(g, ctx);
        if (c.has_content() || !c.unknown_words.empty()) clauses.push_back(std::move(c));
    }

    Builder b{ctx, {}, {}, {}};
    std::vector<std::string> carried_targets;
    std::optional<SectionRef> carried_section;
    std::optional<SectionRef> leading_section;  // "in the chorus, ...": for every clause after it
    std::vector<std::string> prev_targets;
    std::optional<SectionRef> prev_section;
    const Clause* prev_clause = nullptr;
    int prev_dir = 1;
    std::vector<std::string> ignored;

    for (std::size_t i = 0; i < clauses.size(); ++i) {
        const Clause& c = clauses[i];
        const bool more_follow = i + 1 < clauses.size();
        if (c.keep) {
            b.notes.push_back("kept as it is: \"" + c.text + "\"");
            continue;
        }
        const bool has_quality = !c.qualities.empty() || c.level_verb != 0;
        const bool names_target = !c.targets.empty() || c.mix_target || !c.missing_targets.empty();
        const bool level_cue = c.more || c.less || c.too || c.lack || (c.negation && c.enough);

        // "in the chorus, ..." or "..., but only in the chorus"
        if (!has_quality && !names_target && c.section && c.vague.empty() && !c.fix && !level_cue) {
            if (more_follow) {
                leading_section = c.section;
            } else {
                for (auto& d : b.directives) {
                    if (!d.section) d.section = c.section;
                }
            }
            continue;
        }
        // "the vocal and the guitars warmer": a bare target joins the next clause; at the end
        // ("..., and the guitars too") it takes the previous clause's qualities.
        if (!has_quality && names_target && c.vague.empty() && !c.fix && !level_cue && !c.copula &&
            c.missing_targets.empty()) {
            std::vector<std::string> these = c.targets;
            if (c.mix_target) these.push_back("mix");
            if (more_follow) {
                carried_targets.insert(carried_targets.end(), these.begin(), these.end());
                if (c.section) carried_section = c.section;
                continue;
            }
            if (prev_clause && !prev_clause->qualities.empty()) {
                auto extra = clause_directives(*prev_clause, these,
                                               c.section ? c.section : prev_section, prev_dir, b);
                b.directives.insert(b.directives.end(), extra.begin(), extra.end());
                continue;
            }
        }

        std::vector<std::string> targets = carried_targets;
        targets.insert(targets.end(), c.targets.begin(), c.targets.end());
        if (c.mix_target) targets.push_back("mix");
        const bool own_target = !targets.empty();
        const bool inherits = !own_target && !prev_targets.empty();
        if (inherits) targets = prev_targets;
        std::optional<SectionRef> section = c.section ? c.section : carried_section;
        if (!section && inherits) section = prev_section;
        if (!section) section = leading_section;
        carried_targets.clear();
        carried_section.reset();

        int dir = c.direction();
        if (!c.has_direction_cue() && inherits && prev_clause && prev_clause->complains()) dir = -1;

        if (!c.missing_section.empty()) {
            std::vector<QuestionOption> options;
            std::set<std::string> labels;
            for (const auto& s : ctx.sections) labels.insert(s.label);
            Clause whole = c;
            for (const auto& label : labels) {
                if (options.size() == 3) break;
                SectionRef ref{label, 0, std::nullopt, std::nullopt};
                options.push_back(
                    {"in the " + label,
                     clause_directives(whole,
                                       targets.empty() ? std::vector<std::string>{"mix"} : targets,
                                       ref, dir, b)});
            }
            options.push_back(
                {"over the whole song",
                 clause_directives(whole,
                                   targets.empty() ? std::vector<std::string>{"mix"} : targets,
                                   std::nullopt, dir, b)});
            b.ask(
                "This song has no " + c.missing_section + " that I can see. Where should it apply?",
                std::move(options));
            continue;
        }
        if (!own_target && (!c.missing_targets.empty() || !c.unknown_after_determiner.empty())) {
            const std::string name = !c.missing_targets.empty()
                                         ? c.missing_targets.front()
                                         : c.unknown_after_determiner.front();
            std::vector<QuestionOption> options;
            for (const auto& g : session_groups(ctx)) {
                if (options.size() == 3) break;
                auto ds = clause_directives(c, {g}, section, dir, b);
                if (ds.empty()) break;
                options.push_back({"the " + g, std::move(ds)});
            }
            auto whole = clause_directives(c, {"mix"}, section, dir, b);
            if (!whole.empty() && options.size() < 4)
                options.push_back({"the whole mix", std::move(whole)});
            if (options.size() >= 2) {
                b.ask("I can't find \"" + name + "\" in this session. Which did you mean?",
                      std::move(options));
            } else {
                ignored.push_back(c.text);
            }
            continue;
        }

        const std::string target_for_question = targets.empty() ? "mix" : targets.front();
        if (c.qualities.empty()) {
            if (!c.vague.empty() || c.fix) {
                ask_vague(b, c.vague.empty() ? "better" : c.vague, target_for_question, section,
                          c.text);
                continue;
            }
            if (c.bare_bass && c.level_verb == 0 && level_cue && targets.size() == 1) {
                const Direction d = dir > 0 ? Direction::more : Direction::less;
                b.ask("Do you mean the bass instrument, or the low end of the whole mix?",
                      {{std::string("the bass ") + (dir > 0 ? "louder" : "quieter"),
                        {b.make(targets.front(), section, dir > 0 ? "loud" : "quiet",
                                Direction::more, c.amount >= 0 ? c.amount : 0.5, c.text)}},
                       {std::string(dir > 0 ? "more" : "less") + " low end in the whole mix",
                        {b.make("mix", section, "full", d, c.amount >= 0 ? c.amount : 0.5,
                                c.text)}}});
                continue;
            }
            if (own_target && (c.level_verb != 0 || level_cue)) {
                auto ds = clause_directives(c, targets, section, dir, b);
                b.directives.insert(b.directives.end(), ds.begin(), ds.end());
                prev_targets = targets;
                prev_section = section;
                prev_clause = &c;
                prev_dir = dir;
                continue;
            }
            if (own_target) {
                ask_vague(b, "target", target_for_question, section, c.text);
                continue;
            }
            if (!c.unknown_words.empty() || c.has_content()) ignored.push_back(c.text);
            continue;
        }

        // A quality with several readings ("bigger") needs a target; with a section and no
        // target it is read as that section lifting ("make the chorus bigger").
        Clause resolved = c;
        if (targets.empty()) {
            bool ambiguous = false;
            for (auto& hit : resolved.qualities) {
                if (!hit.quality->ambiguous_without_target) continue;
                if (section && !section->label.empty()) {
                    hit.quality = vocabulary().find("lift");
                } else {
                    ambiguous = true;
                }
            }
            if (ambiguous) {
                ask_vague(b, "big", "mix", section, c.text);
                continue;
            }
            targets = {"mix"};
        }
        auto ds = clause_directives(resolved, targets, section, dir, b);
        b.directives.insert(b.directives.end(), ds.begin(), ds.end());
        prev_targets = targets;
        prev_section = section;
        prev_clause = &c;
        prev_dir = dir;
    }

    Interpretation out;
    std::string corrections;
    for (const auto& [typed, read] : lexed.corrections) {
        corrections += (corrections.empty() ? " (read " : ", ") + std::string("\"") + typed +
                       "\" as \"" + read + "\"";
    }
    if (!corrections.empty()) corrections += ")";
    std::string tail;
    for (const auto& part : ignored) tail += " I did not understand \"" + part + "\".";
    for (const auto& note : b.notes) tail += " " + note + ".";

    if (b.question) {
        out.status = Status::question;
        for (auto& option : b.question->options) {
            option.directives.insert(option.directives.begin(), b.directives.begin(),
                                     b.directives.end());
        }
        b.question->source_text = std::string(text);
        out.summary = b.question->text + corrections + tail;
        out.question = std::move(b.question);
        return out;
    }
    if (b.directives.empty()) {
        out.status = Status::not_understood;
        out.summary = "I could not tell what to change in \"" + std::string(text) + "\"." +
                      corrections + " " + k_help;
        return out;
    }
    out.status = Status::applied;
    out.directives = std::move(b.directives);
    out.summary = "Understood: " + summarize(out.directives) + "." + corrections + tail;
    return out;
}

Interpretation interpret_answer(const Question& question, std::string_view answer,
                                const InterpretContext& ctx) {
    const auto tokens = lexicon::tokenize(answer);
    const auto chosen = [&](std::size_t index) {
        Interpretation out;
        out.status = Status::applied;
        out.directives = question.options[index].directives;
        out.summary = "Option " + std::to_string(index + 1) + " (" + question.options[index].label +
                      "): " + summarize(out.directives) + ".";
        return out;
    };
    // By number: "2", "option 2", "#2", "the second", "b".
    static const std::vector<std::pair<std::string, std::size_t>> numbers{
        {"1", 0},      {"2", 1},     {"3", 2},      {"4", 3},   {"first", 0},
        {"second", 1}, {"third", 2}, {"fourth", 3}, {"one", 0}, {"two", 1},
        {"three", 2},  {"four", 3},  {"1st", 0},    {"2nd", 1}, {"3rd", 2},
        {"4th", 3},    {"a", 0},     {"b", 1},      {"c", 2},   {"d", 3}};
    static const std::set<std::string, std::less<>> filler{"option", "number", "the",  "one",
                                                           "please", "go",     "with", "i",
                                                           "choose", "pick",   "take", "ok"};
    std::optional<std::size_t> index;
    bool only_choice_words = !tokens.empty();
    for (const auto& token : tokens) {
        const auto it = std::find_if(numbers.begin(), numbers.end(),
                                     [&](const auto& n) { return n.first == token; });
        if (it != numbers.end() && (token != "one" || !index)) {
            if (!index || token != "one") index = it->second;
        } else if (token == "last") {
            index = question.options.size() - 1;
        } else if (filler.count(token) == 0) {
            only_choice_words = false;
        }
    }
    if (index && only_choice_words && *index < question.options.size()) return chosen(*index);

    // By words: a reply naming what an option does ("wider", "the low end one").
    const Interpretation fresh = interpret(answer, ctx);
    if (fresh.status == Status::applied) {
        std::optional<std::size_t> match;
        int matches = 0;
        for (std::size_t k = 0; k < question.options.size(); ++k) {
            const auto& ds = question.options[k].directives;
            const bool same = std::all_of(
                fresh.directives.begin(), fresh.directives.end(), [&](const Directive& f) {
                    return std::any_of(ds.begin(), ds.end(), [&](const Directive& o) {
                        return o.quality == f.quality && o.direction == f.direction;
                    });
                });
            if (same) {
                match = k;
                ++matches;
            }
        }
        const bool default_target =
            std::all_of(fresh.directives.begin(), fresh.directives.end(),
                        [](const Directive& d) { return d.target == "mix"; });
        if (matches == 1 && default_target) return chosen(*match);
        return fresh;
    }
    std::optional<std::size_t> best;
    std::size_t best_overlap = 0;
    bool tie = false;
    for (std::size_t k = 0; k < question.options.size(); ++k) {
        const auto label = lexicon::tokenize(question.options[k].label);
        std::size_t overlap = 0;
        for (const auto& token : tokens) {
            if (token.size() > 3 && std::find(label.begin(), label.end(), token) != label.end())
                ++overlap;
        }
        if (overlap > best_overlap) {
            best = k;
            best_overlap = overlap;
            tie = false;
        } else if (overlap == best_overlap && overlap > 0) {
            tie = true;
        }
    }
    if (best && !tie) return chosen(*best);

    Interpretation again;
    again.status = Status::question;
    again.question = question;
    again.summary = "Please answer with a number from 1 to " +
                    std::to_string(question.options.size()) + ", or say what you want. " +
                    question.text;
    return again;
}

// ---------------------------------------------------------------- JSON

void to_json(nlohmann::json& j, const SectionRef& s) {
    j = nlohmann::json{{"label", s.label}, {"ordinal", s.ordinal}};
    j["from_s"] = s.from_s ? nlohmann::json(*s.from_s) : nlohmann::json(nullptr);
    j["to_s"] = s.to_s ? nlohmann::json(*s.to_s) : nlohmann::json(nullptr);
}

void from_json(const nlohmann::json& j, SectionRef& s) {
    s.label = j.value("label", "");
    s.ordinal = j.value("ordinal", 0);
    s.from_s = j.contains("from_s") && !j.at("from_s").is_null()
                   ? std::optional(j.at("from_s").get<double>())
                   : std::nullopt;
    s.to_s = j.contains("to_s") && !j.at("to_s").is_null()
                 ? std::optional(j.at("to_s").get<double>())
                 : std::nullopt;
}

void to_json(nlohmann::json& j, const Directive& d) {
    j = nlohmann::json{{"target", d.target},
                       {"quality", d.quality},
                       {"direction", std::string(to_string(d.direction))},
                       {"amount", d.amount},
                       {"source_text", d.source_text}};
    j["section"] = d.section ? nlohmann::json(*d.section) : nlohmann::json(nullptr);
}

void from_json(const nlohmann::json& j, Directive& d) {
    d.target = j.at("target").get<std::string>();
    d.quality = j.at("quality").get<std::string>();
    d.direction =
        j.at("direction").get<std::string>() == "less" ? Direction::less : Direction::more;
    d.amount = j.at("amount").get<double>();
    d.source_text = j.value("source_text", "");
    d.section = j.contains("section") && !j.at("section").is_null()
                    ? std::optional(j.at("section").get<SectionRef>())
                    : std::nullopt;
}

void to_json(nlohmann::json& j, const Question& q) {
    nlohmann::json options = nlohmann::json::array();
    for (const auto& o : q.options)
        options.push_back({{"label", o.label}, {"directives", o.directives}});
    j = nlohmann::json{{"text", q.text}, {"options", options}, {"source_text", q.source_text}};
}

void from_json(const nlohmann::json& j, Question& q) {
    q.text = j.at("text").get<std::string>();
    q.source_text = j.value("source_text", "");
    q.options.clear();
    for (const auto& o : j.at("options")) {
        q.options.push_back(
            {o.at("label").get<std::string>(), o.at("directives").get<std::vector<Directive>>()});
    }
}

void to_json(nlohmann::json& j, const Interpretation& r) {
    j = nlohmann::json{{"status", std::string(to_string(r.status))},
                       {"directives", r.directives},
                       {"summary", r.summary}};
    j["question"] = r.question ? nlohmann::json(*r.question) : nlohmann::json(nullptr);
}

}  // namespace secondear::intent
