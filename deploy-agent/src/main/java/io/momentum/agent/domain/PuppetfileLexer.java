package io.momentum.agent.domain;

import java.util.ArrayList;
import java.util.List;

/** Splits the file into statements of tokens; a statement continues over line ends after , ( { => or a label. */
final class PuppetfileLexer {

    enum Kind { WORD, STRING, SYMBOL, LABEL, ROCKET, COMMA, OPEN, CLOSE, NEWLINE }

    record Token(Kind kind, String text, int line) {

        boolean is(Kind k) {
            return kind == k;
        }
    }


    private final String s;
    private int pos;
    private int line = 1;

    PuppetfileLexer(String s) {
        this.s = s;
    }

    List<List<Token>> statements() throws PuppetfileException {
        List<List<Token>> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        Token token;
        while ((token = next()) != null) {
            if (token.is(Kind.NEWLINE)) {
                Token last = current.isEmpty() ? null : current.get(current.size() - 1);
                boolean continues = depth > 0 || last != null && (last.is(Kind.COMMA) || last.is(Kind.ROCKET)
                        || last.is(Kind.LABEL) || last.is(Kind.OPEN));
                if (!continues && !current.isEmpty()) {
                    statements.add(current);
                    current = new ArrayList<>();
                }
                continue;
            }
            if (token.is(Kind.OPEN)) {
                depth++;
            } else if (token.is(Kind.CLOSE)) {
                if (--depth < 0) {
                    throw new PuppetfileException(token.line(), "unbalanced '" + token.text() + "'");
                }
            }
            current.add(token);
        }
        if (depth > 0) {
            throw new PuppetfileException(current.get(0).line(), "unclosed parenthesis or brace");
        }
        if (!current.isEmpty()) {
            statements.add(current);
        }
        return statements;
    }

    private Token next() throws PuppetfileException {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '\n') {
                pos++;
                return new Token(Kind.NEWLINE, "\n", line++);
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '\\' && pos + 1 < s.length() && s.charAt(pos + 1) == '\n') {
                pos += 2;
                line++;
            } else if (c == '#') {
                while (pos < s.length() && s.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return token(c);
            }
        }
        return null;
    }

    private Token token(char c) throws PuppetfileException {
        int start = line;
        switch (c) {
            case '\'', '"' -> {
                return new Token(Kind.STRING, string(c), start);
            }
            case ',' -> {
                pos++;
                return new Token(Kind.COMMA, ",", start);
            }
            case '(', '{' -> {
                pos++;
                return new Token(Kind.OPEN, String.valueOf(c), start);
            }
            case ')', '}' -> {
                pos++;
                return new Token(Kind.CLOSE, String.valueOf(c), start);
            }
            case '=' -> {
                if (s.startsWith("=>", pos)) {
                    pos += 2;
                    return new Token(Kind.ROCKET, "=>", start);
                }
            }
            case ':' -> {
                if (pos + 1 < s.length() && (s.charAt(pos + 1) == '\'' || s.charAt(pos + 1) == '"')) {
                    pos++;
                    return new Token(Kind.SYMBOL, string(s.charAt(pos)), start);
                }
                pos++;
                String word = word();
                if (word.isEmpty()) {
                    throw new PuppetfileException(start, "unexpected ':'");
                }
                return new Token(Kind.SYMBOL, word, start);
            }
            default -> {
                if (Character.isLetter(c) || c == '_') {
                    String word = word();
                    if (pos < s.length() && s.charAt(pos) == ':' && !s.startsWith("::", pos)) {
                        pos++;
                        return new Token(Kind.LABEL, word, start);
                    }
                    return new Token(Kind.WORD, word, start);
                }
            }
        }
        throw new PuppetfileException(start, "unsupported syntax near '" + excerpt() + "'");
    }

    private String word() {
        int begin = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
            pos++;
        }
        return s.substring(begin, pos);
    }

    private String string(char quote) throws PuppetfileException {
        int start = line;
        pos++;
        StringBuilder out = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\n') {
                line++;
            }
            if (c == '\\' && pos < s.length()) {
                char escaped = s.charAt(pos++);
                if (escaped == quote || escaped == '\\') {
                    out.append(escaped);
                } else if (quote == '"' && escaped == 'n') {
                    out.append('\n');
                } else if (quote == '"' && escaped == 't') {
                    out.append('\t');
                } else if (quote == '\'') {
                    out.append('\\').append(escaped);
                } else {
                    throw new PuppetfileException(line, "unsupported escape '\\" + escaped + "' in string");
                }
            } else if (quote == '"' && c == '#' && pos < s.length() && s.charAt(pos) == '{') {
                throw new PuppetfileException(line, "string interpolation is not supported");
            } else {
                out.append(c);
            }
        }
        throw new PuppetfileException(start, "unterminated string");
    }

    private String excerpt() {
        int end = s.indexOf('\n', pos);
        String rest = s.substring(pos, end < 0 ? s.length() : end).strip();
        return rest.length() > 40 ? rest.substring(0, 40) + "..." : rest;
    }
}
