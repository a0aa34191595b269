package io.galapagos.text;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokens a sequence network knows, built once from the training split and applied to every split and to new
 * text: index {@link #PAD} pads, {@link #UNKNOWN} stands for every token outside the vocabulary. Also fixes the
 * tokenisation (lower-casing) and the length texts are cut to, so that applying it again gives the same ids.
 * Immutable and thread-safe; a class rather than a record only to keep the token index beside the list.
 */
public final class Vocabulary implements Serializable {

    public static final int PAD = 0;
    public static final int UNKNOWN = 1;
    public static final String PAD_TOKEN = "<pad>";
    public static final String UNKNOWN_TOKEN = "<unk>";

    private final List<String> tokens;
    private final boolean lowerCase;
    private final int maxLength;
    private transient volatile Map<String, Integer> index;

    /**
     * @param tokens    entry {@code i} is the token of id {@code i}; the first two are {@code <pad>} and {@code <unk>}
     * @param lowerCase whether texts are lower-cased
     * @param maxLength texts are cut to this many tokens
     */
    public Vocabulary(List<String> tokens, boolean lowerCase, int maxLength) {
        tokens = List.copyOf(tokens);
        if (tokens.size() < 2 || !tokens.get(PAD).equals(PAD_TOKEN) || !tokens.get(UNKNOWN).equals(UNKNOWN_TOKEN)) {
            throw new IllegalArgumentException("a vocabulary starts with " + PAD_TOKEN + " and " + UNKNOWN_TOKEN);
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("max_length must be at least 1, got " + maxLength);
        }
        if (new java.util.HashSet<>(tokens).size() != tokens.size()) {
            throw new IllegalArgumentException("a vocabulary lists each token once");
        }
        this.tokens = tokens;
        this.lowerCase = lowerCase;
        this.maxLength = maxLength;
    }

    public List<String> tokens() {
        return tokens;
    }

    public boolean lowerCase() {
        return lowerCase;
    }

    public int maxLength() {
        return maxLength;
    }

    /**
     * The vocabulary of {@code training}: tokens occurring at least {@code rules.minCount()} times, the most frequent
     * first (ties in alphabetical order, by code point; the tokeniser splits {@code <pad>} into three tokens, so no word takes a special
     * token's id), at most {@code rules.maxSize()} entries in all.
     */
    public static Vocabulary build(List<TextExample> training, VocabularyRules rules) {
        Tokenizer tokenizer = new Tokenizer(rules.lowerCase());
        Map<String, Integer> counts = new HashMap<>();
        int[] lengths = new int[training.size()];
        for (int i = 0; i < training.size(); i++) {
            List<String> tokens = tokenizer.tokens(training.get(i).text());
            lengths[i] = tokens.size();
            tokens.forEach(t -> counts.merge(t, 1, Integer::sum));
        }
        List<String> kept = new ArrayList<>(List.of(PAD_TOKEN, UNKNOWN_TOKEN));
        counts.entrySet().stream().filter(e -> e.getValue() >= rules.minCount())
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())))
                .limit(rules.maxSize() - 2L).forEach(e -> kept.add(e.getKey()));
        int maxLength = rules.maxLength() == VocabularyRules.AUTO_LENGTH ? coveringLength(lengths) : rules.maxLength();
        return new Vocabulary(kept, rules.lowerCase(), maxLength);
    }

    /** The smallest length that at least {@link VocabularyRules#COVERED} of the texts fit in (nearest rank). */
    static int coveringLength(int[] lengths) {
        if (lengths.length == 0) {
            return 1;
        }
        int[] sorted = lengths.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(VocabularyRules.COVERED * sorted.length);
        return Math.max(1, sorted[Math.max(0, rank - 1)]);
    }

    /** The number of ids, padding and unknown included: an embedding's input size. */
    public int size() {
        return tokens.size();
    }

    /** The ids of {@code text}'s tokens, cut to {@link #maxLength()}; unknown tokens are {@link #UNKNOWN}. */
    public int[] encode(String text) {
        List<String> words = new Tokenizer(lowerCase).tokens(text);
        int[] ids = new int[Math.min(words.size(), maxLength)];
        Map<String, Integer> index = index();
        for (int i = 0; i < ids.length; i++) {
            ids[i] = index.getOrDefault(words.get(i), UNKNOWN);
        }
        return ids;
    }

    private Map<String, Integer> index() {
        Map<String, Integer> built = index;
        if (built == null) {
            built = new HashMap<>(tokens.size() * 2);
            for (int i = 0; i < tokens.size(); i++) {
                built.put(tokens.get(i), i);
            }
            index = built;
        }
        return built;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.lowerCase == lowerCase && v.maxLength == maxLength
                && v.tokens.equals(tokens);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode() * 31 + maxLength * 2 + (lowerCase ? 1 : 0);
    }

    @Override
    public String toString() {
        return "Vocabulary[" + tokens.size() + " tokens, max_length " + maxLength + (lowerCase ? ", lower case]" : "]");
    }
}
