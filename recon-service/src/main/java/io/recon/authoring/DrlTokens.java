package io.recon.authoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A small lexer for DRL as the sandbox needs it: dotted names ({@code java.io.File},
 * {@code System.exit}, {@code $order.amount}) with their line and column, skipping comments and
 * string literals (a rule named "System check" is fine).
 */
final class DrlTokens {

    record Chain(List<String> segments, int line, int column) {
        String text() {
            return String.join(".", segments);
        }
    }

    private DrlTokens() {
    }

    static List<Chain> chains(String text) {
        List<Chain> chains = new ArrayList<>();
        int i = 0;
        int line = 1;
        int lineStart = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = ++i;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                i += 2;
                while (i < n && !(text.charAt(i) == '*' && i + 1 < n && text.charAt(i + 1) == '/')) {
                    if (text.charAt(i) == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                    i++;
                }
                i += 2;
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && text.charAt(i) != c && text.charAt(i) != '\n') {
                    i += text.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else if (Character.isJavaIdentifierStart(c)) {
                int startLine = line;
                int startColumn = i - lineStart + 1;
                List<String> segments = new ArrayList<>();
                while (true) {
                    int s = i;
                    while (i < n && Character.isJavaIdentifierPart(text.charAt(i))) {
                        i++;
                    }
                    segments.add(text.substring(s, i));
                    int j = i;
                    while (j < n && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
                        j++;
                    }
                    if (j < n && text.charAt(j) == '.') {
                        int k = j + 1;
                        while (k < n && (text.charAt(k) == ' ' || text.charAt(k) == '\t')) {
                            k++;
                        }
                        if (k < n && Character.isJavaIdentifierStart(text.charAt(k))) {
                            i = k;
                            continue;
                        }
                    }
                    break;
                }
                chains.add(new Chain(segments, startLine, startColumn));
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                    i++;
                }
            } else {
                i++;
            }
        }
        return chains;
    }

    /** The packages a DRL text declares ({@code package recon.trade}). */
    static Set<String> packages(String text) {
        Set<String> packages = new TreeSet<>();
        List<Chain> chains = chains(text);
        for (int i = 0; i + 1 < chains.size(); i++) {
            if (chains.get(i).text().equals("package")) {
                packages.add(chains.get(i + 1).text());
            }
        }
        return packages;
    }
}
