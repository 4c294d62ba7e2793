#pragma once
// The interpreter's word tables: every word or phrase it knows, what kind of thing it names, and
// a fuzzy matcher for misspellings. Internal to the intent layer (used by interpret.cpp and its
// tests); the tables are listed in docs/vocabulary.md.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace secondear::intent::lexicon {

enum class Kind {
    quality,    // value = canonical quality, sign = +1 (form) or -1 (antonym)
    target,     // value = candidate ids separated by '|', tried in order against the session
    track,      // value = a session track name (added per call)
    mix,        // "everything", "the mix", "overall"
    weak_mix,   // "it": the mix unless an earlier clause named a target
    section,    // value = section label
    ordinal,    // number = 1, 2, ... ; -1 = last; 0 = every
    time_from,  // "from", "after", "since"
    time_to,    // "until", "before", "to"
    time_between,
    song_end,  // "the end"
    degree,    // number = amount; sign = +1/-1 when the phrase also says more/less
    more,
    less,
    too,       // "too", "overly", "too much": the clause complains about an excess
    not_so,    // "not so", "not as", "not too"
    negation,  // "not", "no"
    enough,
    lack,        // "lacks", "could use", "needs", "not enough"
    request,     // "make", "can you", "please"
    copula,      // "is", "sounds", "feels": a statement, read as a complaint
    dislike,     // "don't like", "hate"
    raise,       // "turn up", "push", "boost": louder, or more of another named quality
    lower,       // "turn down", "pull back": quieter, or less of another named quality
    keep,        // "keep", "leave": no change wanted
    vague,       // value = which vague request ("pop", "better", "vibe", "energy", "professional")
    determiner,  // "the", "my": a following unknown word is probably an unknown track
    db_unit,
    seconds_unit,
    minutes_unit,
    filler,  // known words that carry no meaning here
};

struct Entry {
    std::vector<std::string> words;
    Kind kind = Kind::filler;
    std::string value;
    double number = 0.0;
    int sign = 1;
};

/// Tokens of normalised text: lowercase words, numbers ("2", "1.5"), times ("1:30"), ordinals
/// ("2nd") and "," for every clause-breaking punctuation mark. Contractions are expanded
/// ("isn't" -> "is not", "it's" -> "it is"); hyphens split words ("laid-back" -> "laid back").
std::vector<std::string> tokenize(std::string_view text);

/// Damerau-Levenshtein distance (optimal string alignment), for misspellings like "brigther".
int edit_distance(std::string_view a, std::string_view b);

/// Largest edit distance accepted for a word of this length: 0 up to 3 letters, 1 for 4-6, 2
/// from 7. Words of up to 5 letters are only corrected to words with the same first letter.
int allowed_distance(std::size_t length);

class Lexicon {
  public:
    /// The static tables plus the vocabulary's forms, antonyms and amount words.
    static const Lexicon& standard();

    /// Adds entries (e.g. the session's track names); later entries win ties with earlier ones.
    void add(Entry entry);

    /// The longest entry matching tokens from `pos` (exact words), or nullptr.
    const Entry* match(const std::vector<std::string>& tokens, std::size_t pos,
                       std::size_t& length) const;

    bool knows(const std::string& word) const { return known_.count(word) > 0; }

    /// The closest content word within allowed_distance(word.size()), if any (ties: the word that
    /// shares the first letter, then alphabetical order, so the result is deterministic).
    std::optional<std::string> correct(const std::string& word) const;

    const std::vector<Entry>& entries() const { return entries_; }

  private:
    std::vector<Entry> entries_;
    std::unordered_map<std::string, std::vector<std::size_t>> by_first_word_;
    std::unordered_set<std::string> known_;
    std::vector<std::string> content_words_;  // candidates for correction, sorted
};

}  // namespace secondear::intent::lexicon
