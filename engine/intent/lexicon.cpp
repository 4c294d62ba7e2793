#include "intent/lexicon.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "intent/vocabulary.hpp"

namespace secondear::intent::lexicon {

namespace {

std::vector<std::string> split_words(std::string_view phrase) {
    std::vector<std::string> words;
    std::istringstream in{std::string(phrase)};
    for (std::string word; in >> word;) words.push_back(word);
    return words;
}

bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Contractions written without an apostrophe, as people type them in a hurry.
const std::unordered_map<std::string, std::string>& bare_contractions() {
    static const std::unordered_map<std::string, std::string> table{
        {"isnt", "is not"},     {"dont", "do not"},
        {"doesnt", "does not"}, {"cant", "can not"},
        {"wont", "will not"},   {"arent", "are not"},
        {"its", "it is"},       {"theres", "there is"},
        {"thats", "that is"},   {"didnt", "did not"},
        {"im", "i am"},         {"id", "i would"},
        {"cannot", "can not"},  {"shouldnt", "should not"},
        {"wasnt", "was not"}};
    return table;
}

void push_word(std::vector<std::string>& out, std::string word) {
    if (word.empty()) return;
    // Apostrophe contractions.
    if (const auto apos = word.find('\''); apos != std::string::npos) {
        const std::string stem = word.substr(0, apos);
        const std::string tail = word.substr(apos + 1);
        if (tail == "t" && stem.size() > 1 && stem.back() == 'n') {
            std::string base = stem.substr(0, stem.size() - 1);
            if (base == "ca") base = "can";
            if (base == "wo") base = "will";
            push_word(out, base);
            out.emplace_back("not");
            return;
        }
        static const std::unordered_map<std::string, std::string> tails{
            {"s", "is"},    {"re", "are"},  {"m", "am"},
            {"ll", "will"}, {"d", "would"}, {"ve", "have"}};
        push_word(out, stem);
        if (const auto it = tails.find(tail); it != tails.end()) out.push_back(it->second);
        return;
    }
    if (const auto it = bare_contractions().find(word); it != bare_contractions().end()) {
        for (auto& part : split_words(it->second)) out.push_back(part);
        return;
    }
    // "2db" -> "2" "db"; "90s" -> "90" "s"; ordinals ("2nd") and times ("1:30") stay whole.
    if (is_digit(word.front())) {
        std::size_t i = 0;
        while (i < word.size() && (is_digit(word[i]) || word[i] == '.' || word[i] == ':')) ++i;
        const std::string suffix = word.substr(i);
        if (!suffix.empty() && suffix != "st" && suffix != "nd" && suffix != "rd" &&
            suffix != "th") {
            out.push_back(word.substr(0, i));
            out.push_back(suffix);
            return;
        }
    }
    out.push_back(std::move(word));
}

}  // namespace

std::vector<std::string> tokenize(std::string_view text) {
    // Typographic apostrophes (U+2018, U+2019) become ASCII ones.
    std::string s;
    s.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i + 2 < text.size() && text[i] == '\xE2' && text[i + 1] == '\x80' &&
            (text[i + 2] == '\x98' || text[i + 2] == '\x99')) {
            s.push_back('\'');
            i += 2;
        } else {
            s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text[i]))));
        }
    }
    std::vector<std::string> out;
    std::string word;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool prev_alnum = i > 0 && is_alnum(s[i - 1]);
        const bool next_alnum = i + 1 < s.size() && is_alnum(s[i + 1]);
        const bool digits_around =
            i > 0 && is_digit(s[i - 1]) && i + 1 < s.size() && is_digit(s[i + 1]);
        if (is_alnum(c) || c == '_' || (c == '\'' && prev_alnum && next_alnum) ||
            ((c == ':' || c == '.') && digits_around)) {
            word.push_back(c);
            continue;
        }
        push_word(out, std::move(word));
        word.clear();
        if (c == ',' || c == ';' || c == '.' || c == '!' || c == '?' || c == '\n') {
            if (!out.empty() && out.back() != ",") out.emplace_back(",");
        } else if (c == '&' || c == '+' || c == '/') {
            out.emplace_back("and");
        }
    }
    push_word(out, std::move(word));
    while (!out.empty() && out.back() == ",") out.pop_back();
    return out;
}

int edit_distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);  // transposition
            }
        }
    }
    return d[n][m];
}

int allowed_distance(std::size_t length) {
    if (length <= 3) return 0;
    return length <= 6 ? 1 : 2;
}

void Lexicon::add(Entry entry) {
    for (const auto& word : entry.words) {
        known_.insert(word);
        const bool content =
            entry.kind != Kind::filler && entry.kind != Kind::determiner && !is_digit(word.front());
        if (content && !std::binary_search(content_words_.begin(), content_words_.end(), word)) {
            content_words_.insert(
                std::lower_bound(content_words_.begin(), content_words_.end(), word), word);
        }
    }
    by_first_word_[entry.words.front()].push_back(entries_.size());
    entries_.push_back(std::move(entry));
}

const Entry* Lexicon::match(const std::vector<std::string>& tokens, std::size_t pos,
                            std::size_t& length) const {
    const auto it = by_first_word_.find(tokens[pos]);
    if (it == by_first_word_.end()) return nullptr;
    const Entry* best = nullptr;
    length = 0;
    for (const std::size_t index : it->second) {
        const Entry& entry = entries_[index];
        const std::size_t n = entry.words.size();
        if (pos + n > tokens.size() || n < length) continue;
        if (!std::equal(entry.words.begin(), entry.words.end(),
                        tokens.begin() + static_cast<std::ptrdiff_t>(pos)))
            continue;
        best = &entry;  // equal length: the later entry wins
        length = n;
    }
    return best;
}

std::optional<std::string> Lexicon::correct(const std::string& word) const {
    const int allowed = allowed_distance(word.size());
    if (allowed == 0) return std::nullopt;
    std::optional<std::string> best;
    int best_distance = allowed + 1;
    bool best_same_first = false;
    for (const auto& candidate : content_words_) {
        const auto size_gap = candidate.size() > word.size() ? candidate.size() - word.size()
                                                             : word.size() - candidate.size();
        const bool same_first = candidate.front() == word.front();
        // Short words only correct to words with the same first letter ("hello" is not "cello").
        if (static_cast<int>(size_gap) > allowed || candidate.size() < 3 ||
            (word.size() <= 5 && !same_first)) {
            continue;
        }
        const int distance = edit_distance(word, candidate);
        if (distance > allowed) continue;
        if (distance < best_distance ||
            (distance == best_distance && same_first && !best_same_first)) {
            best = candidate;
            best_distance = distance;
            best_same_first = same_first;
        }
    }
    return best;
}

namespace {

struct Row {
    Kind kind;
    const char* value;
    double number;
    std::vector<const char*> phrases;
};

// Targets: each alias lists the ids to try, in order, against the session's track roles, groups
// and names (the first one present wins). "vocals" means the lead vocal, as musicians use it;
// "all the vocals" means the vocal group.
const std::vector<Row>& target_rows() {
    static const std::vector<Row> rows{
        {Kind::target,
         "lead_vocal|vocals|dialogue",
         0,
         {"vocal",
          "vocals",
          "vox",
          "voice",
          "voices",
          "singer",
          "vocalist",
          "lead",
          "lead vocal",
          "lead vocals",
          "lead vox",
          "main vocal",
          "main vox",
          "lead voice",
          "lv",
          "lead singer",
          "singing",
          "vocal track",
          "lead vocal track",
          "rapper",
          "rap",
          "rap vocal",
          "mc",
          "rap vocals"}},
        {Kind::target,
         "vocals|lead_vocal",
         0,
         {"all the vocals", "all vocals", "all the vox", "every vocal", "vocal bus", "vocal group",
          "vocals group", "all the voices"}},
        {Kind::target,
         "backing_vocal|vocals",
         0,
         {"bgv",
          "bgvs",
          "bv",
          "bvs",
          "bvox",
          "backing vocals",
          "backing vocal",
          "backing vox",
          "backing",
          "backups",
          "backup vocals",
          "backing singers",
          "background vocals",
          "background vox",
          "background singers",
          "harmonies",
          "harmony",
          "doubles",
          "choir",
          "bg vocals",
          "bgs",
          "adlibs",
          "ad libs"}},
        {Kind::target,
         "drums",
         0,
         {"drums", "drum", "kit", "drum kit", "drumkit", "drum bus", "drum group", "the kit"}},
        {Kind::target, "kick|drums", 0, {"kick", "kicks", "kick drum", "bass drum", "kik", "bd"}},
        {Kind::target, "snare|drums", 0, {"snare", "snares", "snare drum", "sd"}},
        {Kind::target, "hihat|drums", 0, {"hat", "hats", "hi hat", "hi hats", "hihat", "hihats"}},
        {Kind::target, "tom|drums", 0, {"toms", "tom", "floor tom", "rack tom", "tom toms"}},
        {Kind::target,
         "overheads|drums",
         0,
         {"overheads", "overhead", "oh", "ohs", "cymbals", "cymbal"}},
        {Kind::target, "room|drums", 0, {"room mics", "room mic", "rooms", "drum room"}},
        {Kind::target,
         "percussion|drums",
         0,
         {"percussion", "perc", "shaker", "shakers", "tambourine", "tamb", "congas", "claps",
          "clap", "bongos"}},
        {Kind::target,
         "bass",
         0,
         {"bass", "bass guitar", "bassline", "bass line", "sub", "sub bass", "808", "808s",
          "bass synth", "synth bass", "bass di", "bass amp"}},
        {Kind::target,
         "guitars|electric_guitar|acoustic_guitar|guitar",
         0,
         {"guitars", "guitar", "gtr", "gtrs", "git", "gits", "electric guitars", "electric guitar",
          "electrics", "rhythm guitar", "rhythm guitars", "lead guitar", "guitar bus", "axe"}},
        {Kind::target,
         "acoustic_guitar|guitars|guitar",
         0,
         {"acoustic", "acoustics", "acoustic guitar", "acoustic guitars", "acc gtr"}},
        {Kind::target,
         "keys|piano|synth",
         0,
         {"keys", "keyboard", "keyboards", "rhodes", "organ", "wurli", "wurlitzer", "ep",
          "electric piano", "clav"}},
        {Kind::target, "piano|keys", 0, {"piano", "pianos", "grand piano", "upright"}},
        {Kind::target,
         "synths|synth|pad|keys",
         0,
         {"synth", "synths", "synthesizer", "synthesizers", "pad", "pads", "lead synth", "arp",
          "arps", "plucks", "pluck"}},
        {Kind::target,
         "strings",
         0,
         {"strings", "string section", "violin", "violins", "cello", "cellos", "viola",
          "orchestra"}},
        {Kind::target,
         "brass|horns",
         0,
         {"brass", "horns", "horn", "horn section", "trumpet", "trumpets", "sax", "saxophone",
          "trombone"}},
        {Kind::target, "fx", 0, {"fx", "sfx", "effects", "risers", "riser", "sweeps"}},
        {Kind::target,
         "dialogue|lead_vocal",
         0,
         {"dialogue", "dialog", "host", "hosts", "speech", "narration", "narrator", "voiceover",
          "voice over", "guest", "speaker", "speakers"}},
        {Kind::mix, "mix", 0, {"mix",         "the mix",     "everything",  "overall",
                               "whole thing", "whole mix",   "whole song",  "song",
                               "the song",    "the track",   "master",      "the master",
                               "all of it",   "whole track", "entire mix",  "full mix",
                               "master bus",  "mix bus",     "stereo bus",  "the beat",
                               "tune",        "record",      "overall mix", "everything else"}},
        {Kind::weak_mix, "mix", 0, {"it", "things"}},
    };
    return rows;
}

const std::vector<Row>& section_rows() {
    static const std::vector<Row> rows{
        {Kind::section, "intro", 0, {"intro", "intros", "introduction", "beginning", "opening"}},
        {Kind::section, "verse", 0, {"verse", "verses", "vers"}},
        {Kind::section,
         "pre-chorus",
         0,
         {"pre chorus", "prechorus", "pre choruses", "prechoruses", "pre"}},
        {Kind::section,
         "chorus",
         0,
         {"chorus", "choruses", "chorusses", "hook", "hooks", "refrain", "refrains"}},
        {Kind::section, "post-chorus", 0, {"post chorus", "postchorus"}},
        {Kind::section, "bridge", 0, {"bridge", "bridges", "middle eight", "middle 8"}},
        {Kind::section, "breakdown", 0, {"breakdown", "breakdowns", "break"}},
        {Kind::section, "build", 0, {"build", "builds", "buildup", "build up", "buildups"}},
        {Kind::section, "drop", 0, {"drop", "drops"}},
        {Kind::section, "solo", 0, {"solo", "solos"}},
        {Kind::section, "outro", 0, {"outro", "outros", "ending", "coda", "fadeout", "fade out"}},
        {Kind::section, "interlude", 0, {"interlude", "interludes"}},
        {Kind::ordinal, "", 1, {"first", "1st", "one", "opening"}},
        {Kind::ordinal, "", 2, {"second", "2nd", "two"}},
        {Kind::ordinal, "", 3, {"third", "3rd", "three"}},
        {Kind::ordinal, "", 4, {"fourth", "4th", "four"}},
        {Kind::ordinal, "", 5, {"fifth", "5th", "five"}},
        {Kind::ordinal, "", -1, {"last", "final"}},
        {Kind::ordinal, "", 0, {"every", "all", "each", "both", "all the"}},
        {Kind::time_from,
         "",
         0,
         {"from", "after", "since", "starting at", "starting from", "start at", "past", "at"}},
        {Kind::time_to,
         "",
         0,
         {"until", "till", "til", "before", "to", "up to", "up until", "through"}},
        {Kind::time_between, "", 0, {"between"}},
        {Kind::song_end, "", 0, {"end", "the end", "end of the song", "the end of the song"}},
        {Kind::db_unit, "", 0, {"db", "dbs", "decibel", "decibels"}},
        {Kind::seconds_unit, "", 0, {"s", "sec", "secs", "seconds"}},
        {Kind::minutes_unit, "", 0, {"m", "min", "mins", "minute", "minutes"}},
    };
    return rows;
}

const std::vector<Row>& direction_rows() {
    static const std::vector<Row> rows{
        {Kind::more,
         "",
         0,
         {"more", "extra", "add", "increase", "bring out", "dial in", "pile on", "enhance",
          "emphasize", "emphasise", "accentuate", "a little more of"}},
        {Kind::less, "", 0, {"less",      "fewer",    "reduce",    "cut",        "tame",
                             "remove",    "lose",     "kill",      "get rid of", "dial back",
                             "dial down", "take out", "take away", "without",    "minus",
                             "decrease",  "lessen",   "soften",    "scoop",      "notch",
                             "trim",      "thin out", "rein in"}},
        {Kind::less,
         "fix",
         0,
         {"fix the", "clean up", "deal with", "do something about", "sort out", "sort the"}},
        {Kind::too,
         "",
         0,
         {"too", "overly", "excessively", "too much", "too many", "over the top", "overdone",
          "overcooked", "overpowering", "overbearing", "so much"}},
        {Kind::not_so, "", 0, {"not so", "not as", "not too", "less so", "not quite so"}},
        {Kind::negation, "", 0, {"not", "no", "never", "nor"}},
        {Kind::enough, "", 0, {"enough"}},
        {Kind::lack, "", 0, {"lacks",         "lack",     "lacking", "missing",     "could use",
                             "could do with", "need",     "needs",   "needed",      "needing",
                             "has no",        "have no",  "got no",  "there is no", "not enough",
                             "wanting",       "where is", "i miss",  "more of",     "want more"}},
        {Kind::request,
         "",
         0,
         {"make", "can", "could", "would", "want", "wanna", "please", "pls", "plz", "give", "let",
          "try", "go", "get", "should", "i would like", "go for", "aim for", "bring"}},
        {Kind::copula,
         "",
         0,
         {"is", "are", "was", "were", "sounds", "sound", "sounding", "feels", "feel", "feeling",
          "seems", "seem", "gets", "getting", "become", "becomes", "comes across"}},
        {Kind::dislike,
         "",
         0,
         {"do not like", "hate", "dislike", "not a fan of", "not loving", "annoying", "bothers",
          "bugs", "can not stand"}},
        {Kind::raise,
         "",
         0,
         {"up", "turn up", "bring up", "push", "push up", "boost", "raise", "crank", "crank up",
          "pump up", "bump up", "bump", "turn it up", "bring it up", "pump"}},
        {Kind::lower,
         "",
         0,
         {"down", "turn down", "bring down", "pull back", "pull down", "back off", "tuck",
          "tuck in", "duck", "lower", "roll back", "knock down", "turn it down", "bring it down",
          "dip", "pull", "drop"}},
        {Kind::keep,
         "",
         0,
         {"keep", "leave", "do not touch", "do not change", "preserve", "maintain", "as is"}},
        {Kind::vague,
         "pop",
         0,
         {"pop", "make it pop", "poppy", "poppier", "stand out", "jump out", "jump"}},
        {Kind::vague,
         "better",
         0,
         {"better",        "fix",           "fix it",     "improve",
          "improved",      "good",          "great",      "nice",
          "nicer",         "bad",           "worse",      "wrong",
          "weird",         "strange",       "off",        "not right",
          "sucks",         "awful",         "terrible",   "amazing",
          "work on",       "work",          "needs work", "do something",
          "do your thing", "do your magic", "something",  "help",
          "sort it out",   "mix it",        "finish",     "whatever you think"}},
        {Kind::filler,
         "",
         0,
         {"nice and", "good and", "nice n", "lovely and", "and so on", "on top", "as well"}},
        {Kind::vague, "vibe", 0, {"vibe",    "vibes",       "vibey",    "vibier",    "mojo",
                                  "magic",   "soul",        "soulful",  "character", "life",
                                  "alive",   "lively",      "livelier", "emotion",   "emotional",
                                  "feeling", "groove",      "groovy",   "swagger",   "sauce",
                                  "juice",   "interesting", "special",  "flavour",   "flavor",
                                  "color",   "colour"}},
        {Kind::vague,
         "energy",
         0,
         {"energy", "energetic", "exciting", "excitement", "excited", "hype", "hyped", "power",
          "powerful", "oomph", "more exciting", "dynamic"}},
        {Kind::vague, "professional", 0, {"professional",  "pro",
                                          "radio ready",   "radio",
                                          "commercial",    "polished",
                                          "polish",        "release ready",
                                          "finished",      "expensive",
                                          "modern",        "glossy",
                                          "slick",         "industry standard",
                                          "like a record", "like the pros",
                                          "mastered",      "major label",
                                          "sheen",         "studio quality"}},
        {Kind::determiner,
         "",
         0,
         {"the", "my", "our", "those", "these", "that", "this", "his", "her", "their", "your"}},
        {Kind::filler,
         "",
         0,
         {"a",           "an",         "you",        "i",           "we",         "me",
          "us",          "think",      "just",       "of",          "for",        "with",
          "on",          "in",         "into",       "by",          "be",         "been",
          "being",       "got",        "like",       "maybe",       "perhaps",    "will",
          "do",          "does",       "did",        "how",         "what",       "when",
          "if",          "as",         "than",       "right",       "thing",      "stuff",
          "part",        "parts",      "section",    "sections",    "track",      "tracks",
          "bus",         "group",      "them",       "they",        "he",         "she",
          "him",         "out",        "over",       "back",        "way",        "actually",
          "still",       "again",      "now",        "here",        "there",      "only",
          "then",        "thanks",     "thank",      "hey",         "ok",         "okay",
          "yeah",        "yes",        "tone",       "tones",       "tonal",      "whole",
          "entire",      "bit",        "pretty",     "fairly",      "rather",     "overall",
          "throughout",  "everywhere", "am",         "have",        "has",        "had",
          "also",        "guys",       "man",        "dude",        "hmm",        "um",
          "uh",          "lol",        "and",        "or",          "but",        "though",
          "while",       "plus",       "it",         "ish",         "same",       "time",
          "times",       "moment",     "moments",    "bars",        "bar",        "around",
          "about",       "during",     "within",     "side",        "sides",      "mixing",
          "level",       "levels",     "eq",         "compression", "compressor", "ones",
          "turn",        "whole",      "lot",        "which",       "who",        "where",
          "why",         "because",    "cause",      "since",       "so",         "say",
          "said",        "hear",       "heard",      "listen",      "listening",  "i",
          "am",          "kinda",      "super",      "bit",         "tad",        "really",
          "very",        "sure",       "some",       "any",         "all",        "other",
          "others",      "rest",       "mic",        "mics",        "channel",    "channels",
          "stem",        "stems",      "instrument", "instruments", "sits",       "sit",
          "sitting",     "place",      "spot",       "area",        "region",     "range",
          "frequencies", "frequency",  "bits",       "anymore",     "any more",   "yet",
          "know",        "guess",      "mean",       "although"}},
    };
    return rows;
}

void add_rows(Lexicon& lexicon, const std::vector<Row>& rows) {
    for (const auto& row : rows) {
        for (const char* phrase : row.phrases) {
            lexicon.add(Entry{split_words(phrase), row.kind, row.value, row.number, 1});
        }
    }
}

}  // namespace

const Lexicon& Lexicon::standard() {
    static const Lexicon lexicon = [] {
        Lexicon lex;
        // Order matters only for identical phrases: later rows win, so the vocabulary (added
        // last) has the final word over the generic direction and filler tables.
        add_rows(lex, direction_rows());
        add_rows(lex, section_rows());
        add_rows(lex, target_rows());
        const auto& vocab = vocabulary();
        for (const auto& amount : vocab.amounts) {
            for (const auto& phrase : amount.words) {
                auto words = split_words(phrase);
                const bool says_more = std::find(words.begin(), words.end(), "more") != words.end();
                const bool says_less = std::find(words.begin(), words.end(), "less") != words.end();
                const int sign = says_less ? -1 : 1;
                lex.add(Entry{std::move(words), Kind::degree,
                              (says_more || says_less) ? "direction" : "", amount.amount, sign});
            }
        }
        for (const auto& quality : vocab.qualities) {
            for (const auto& form : quality.forms) {
                lex.add(Entry{split_words(form), Kind::quality, quality.name, 0.0, 1});
            }
            for (const auto& antonym : quality.antonyms) {
                lex.add(Entry{split_words(antonym), Kind::quality, quality.name, 0.0, -1});
            }
        }
        return lex;
    }();
    return lexicon;
}

}  // namespace secondear::intent::lexicon
