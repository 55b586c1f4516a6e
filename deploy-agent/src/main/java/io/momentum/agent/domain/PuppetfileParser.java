package io.momentum.agent.domain;

import io.momentum.agent.domain.PuppetfileLexer.Kind;
import io.momentum.agent.domain.PuppetfileLexer.Token;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Turns the lexer's statements into a {@link Puppetfile}: what each statement means and which paths are safe. */
final class PuppetfileParser {

    private static final Pattern AUTHOR = Pattern.compile("[A-Za-z0-9]+");
    private static final Pattern TITLE = Pattern.compile("(?:([A-Za-z0-9]+)[-/])?(\\w+)");
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+(?:[-+][0-9A-Za-z.+-]+)?");

    private PuppetfileParser() {
    }

    static Puppetfile parse(String content) throws PuppetfileException {
        List<List<Token>> statements = new PuppetfileLexer(content).statements();
        String forge = null;
        String moduledir = Puppetfile.DEFAULT_MODULEDIR;
        int moduledirLine = 0;
        List<Statement> mods = new ArrayList<>();
        for (List<Token> tokens : statements) {
            Statement statement = Statement.of(tokens);
            switch (statement.keyword) {
                case "forge" -> forge = statement.singleString();
                case "moduledir" -> {
                    moduledir = statement.singleString();
                    moduledirLine = statement.line;
                }
                default -> mods.add(statement);
            }
        }
        String defaultDir = relativeDir(moduledir, moduledirLine, "moduledir");
        List<ModuleSpec> modules = new ArrayList<>();
        Map<String, Integer> paths = new HashMap<>();
        for (Statement mod : mods) {
            ModuleSpec module = mod.toModule(defaultDir);
            Integer earlier = paths.putIfAbsent(module.path(), module.line());
            if (earlier != null) {
                throw new PuppetfileException(module.line(),
                        "module '" + module.name() + "' is already declared on line " + earlier + " for " + module.path());
            }
            modules.add(module);
        }
        return new Puppetfile(forge, defaultDir, modules);
    }

    /** A directory relative to the environment, normalized; refuses anything that would leave the environment. */
    static String relativeDir(String dir, int line, String what) throws PuppetfileException {
        if (dir.startsWith("/") || dir.contains("\\") || dir.indexOf('\0') >= 0) {
            throw new PuppetfileException(line, what + " '" + dir + "' must be a relative path inside the environment");
        }
        List<String> parts = new ArrayList<>();
        for (String part : dir.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new PuppetfileException(line, what + " '" + dir + "' leaves the environment");
                }
                parts.remove(parts.size() - 1);
            } else if (part.equals(".git")) {
                throw new PuppetfileException(line, what + " '" + dir + "' points into .git");
            } else {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    /** One statement: a keyword followed by positional arguments and options. */
    private static final class Statement {

        final String keyword;
        final int line;
        final List<Token> positional = new ArrayList<>();
        final Map<String, Token> options = new LinkedHashMap<>();

        private Statement(String keyword, int line) {
            this.keyword = keyword;
            this.line = line;
        }

        static Statement of(List<Token> tokens) throws PuppetfileException {
            Token first = tokens.get(0);
            if (!first.is(Kind.WORD)) {
                throw new PuppetfileException(first.line(), "unsupported syntax: expected forge, moduledir or mod");
            }
            if (!List.of("forge", "moduledir", "mod").contains(first.text())) {
                throw new PuppetfileException(first.line(), "unsupported statement '" + first.text()
                        + "' (only forge, moduledir and mod are understood)");
            }
            Statement statement = new Statement(first.text(), first.line());
            // Parentheses and braces only group; r10k's DSL gives them no other meaning.
            List<Token> args = new ArrayList<>();
            for (Token t : tokens.subList(1, tokens.size())) {
                if (!t.is(Kind.OPEN) && !t.is(Kind.CLOSE)) {
                    args.add(t);
                }
            }
            List<List<Token>> parts = new ArrayList<>();
            List<Token> part = new ArrayList<>();
            for (Token t : args) {
                if (t.is(Kind.COMMA)) {
                    parts.add(part);
                    part = new ArrayList<>();
                } else {
                    part.add(t);
                }
            }
            if (!args.isEmpty()) {
                parts.add(part);
            }
            for (List<Token> p : parts) {
                statement.addArgument(p, first.line());
            }
            return statement;
        }

        private void addArgument(List<Token> p, int statementLine) throws PuppetfileException {
            if (p.isEmpty()) {
                throw new PuppetfileException(statementLine, "unexpected ','");
            }
            Token head = p.get(0);
            if (p.size() == 1 && (head.is(Kind.STRING) || head.is(Kind.SYMBOL))) {
                if (!options.isEmpty()) {
                    throw new PuppetfileException(head.line(), "positional argument after options");
                }
                positional.add(head);
                return;
            }
            String key;
            Token value;
            if (p.size() == 2 && head.is(Kind.LABEL)) {
                key = head.text();
                value = p.get(1);
            } else if (p.size() == 3 && (head.is(Kind.SYMBOL) || head.is(Kind.STRING)) && p.get(1).is(Kind.ROCKET)) {
                key = head.text();
                value = p.get(2);
            } else {
                throw new PuppetfileException(head.line(), "unsupported syntax near '" + head.text() + "'");
            }
            if (!(value.is(Kind.STRING) || value.is(Kind.SYMBOL)
                    || value.is(Kind.WORD) && (value.text().equals("true") || value.text().equals("false")))) {
                throw new PuppetfileException(value.line(), "unsupported value '" + value.text() + "' for :" + key);
            }
            if (options.put(key, value) != null) {
                throw new PuppetfileException(head.line(), "option :" + key + " is given twice");
            }
        }

        String singleString() throws PuppetfileException {
            if (positional.size() != 1 || !options.isEmpty() || !positional.get(0).is(Kind.STRING)) {
                throw new PuppetfileException(line, keyword + " takes exactly one string");
            }
            return positional.get(0).text();
        }

        ModuleSpec toModule(String defaultDir) throws PuppetfileException {
            if (positional.isEmpty() || !positional.get(0).is(Kind.STRING)) {
                throw new PuppetfileException(line, "mod needs a module name string");
            }
            if (positional.size() > 2) {
                throw new PuppetfileException(line, "mod takes a name, an optional version and options");
            }
            String title = positional.get(0).text();
            var match = TITLE.matcher(title);
            if (!match.matches()) {
                throw new PuppetfileException(line, "module title '" + title + "' is not 'name', 'author-name' or 'author/name'");
            }
            String author = match.group(1);
            String name = match.group(2);
            try {
                EnvironmentNames.requireValidModule(name);
            } catch (InvalidNameException e) {
                throw new PuppetfileException(line, e.getMessage());
            }
            String installDir = defaultDir;
            Token installPath = options.remove("install_path");
            if (installPath != null) {
                installDir = relativeDir(stringOption("install_path", installPath), line, ":install_path");
            }
            boolean excludeSpec = booleanOption("exclude_spec", options.remove("exclude_spec"), false);
            Token git = options.remove("git");
            Token local = options.remove("local");
            if (git != null) {
                return gitModule(name, installDir, stringOption("git", git), excludeSpec);
            }
            if (local != null) {
                if (!booleanOption("local", local, false)) {
                    throw new PuppetfileException(line, ":local => false is not a module source");
                }
                requireNoMore();
                return new ModuleSpec.Local(name, installDir, line);
            }
            return forgeModule(author, name, installDir, excludeSpec);
        }

        private ModuleSpec gitModule(String name, String installDir, String url, boolean excludeSpec)
                throws PuppetfileException {
            if (positional.size() > 1) {
                throw new PuppetfileException(line, "a git module takes no version argument; use :ref, :tag, :branch or :commit");
            }
            if (url.isBlank()) {
                throw new PuppetfileException(line, ":git URL is empty");
            }
            ModuleSpec.RefKind kind = null;
            String ref = null;
            for (ModuleSpec.RefKind candidate : List.of(ModuleSpec.RefKind.REF, ModuleSpec.RefKind.BRANCH,
                    ModuleSpec.RefKind.TAG, ModuleSpec.RefKind.COMMIT)) {
                Token value = options.remove(candidate.name().toLowerCase());
                if (value == null) {
                    continue;
                }
                if (kind != null) {
                    throw new PuppetfileException(line, "give only one of :ref, :branch, :tag, :commit");
                }
                kind = candidate;
                if (candidate == ModuleSpec.RefKind.BRANCH && value.is(Kind.SYMBOL)
                        && value.text().equals("control_branch")) {
                    kind = ModuleSpec.RefKind.CONTROL_BRANCH;
                    ref = null;
                } else {
                    ref = stringOption(candidate.name().toLowerCase(), value);
                    if (ref.isBlank() || ref.startsWith("-")) {
                        throw new PuppetfileException(line, "invalid git ref '" + ref + "'");
                    }
                }
            }
            if (kind == ModuleSpec.RefKind.COMMIT && !ref.matches("[0-9a-fA-F]{7,40}")) {
                throw new PuppetfileException(line, ":commit '" + ref + "' is not a commit id");
            }
            Token defaultBranch = options.remove("default_branch");
            String fallback = defaultBranch == null ? null : stringOption("default_branch", defaultBranch);
            requireNoMore();
            if (kind == null) {
                kind = ModuleSpec.RefKind.BRANCH;
                ref = "master";
            }
            return new ModuleSpec.Git(name, installDir, line, url, kind, ref, fallback, excludeSpec);
        }

        private ModuleSpec forgeModule(String author, String name, String installDir, boolean excludeSpec)
                throws PuppetfileException {
            Token version = positional.size() > 1 ? positional.get(1) : options.remove("version");
            requireNoMore();
            if (author == null) {
                throw new PuppetfileException(line, "Forge module '" + name
                        + "' needs its author ('author/" + name + "'), or give :git or :local");
            }
            if (!AUTHOR.matcher(author).matches()) {
                throw new PuppetfileException(line, "invalid Forge author '" + author + "'");
            }
            String exact = null;
            if (version != null && version.is(Kind.STRING)) {
                if (!VERSION.matcher(version.text()).matches()) {
                    throw new PuppetfileException(line, "Forge version '" + version.text() + "' is not a semantic version");
                }
                exact = version.text();
            } else if (version != null && !version.text().equals("latest")) {
                throw new PuppetfileException(line, "unsupported Forge version :" + version.text() + " (give 'x.y.z' or :latest)");
            }
            return new ModuleSpec.Forge(author.toLowerCase(), name, installDir, line, exact, excludeSpec);
        }

        private void requireNoMore() throws PuppetfileException {
            if (!options.isEmpty()) {
                String key = options.keySet().iterator().next();
                throw new PuppetfileException(options.get(key).line(), "unsupported module option :" + key);
            }
        }

        private String stringOption(String key, Token value) throws PuppetfileException {
            if (!value.is(Kind.STRING)) {
                throw new PuppetfileException(value.line(), ":" + key + " needs a string, not '" + value.text() + "'");
            }
            return value.text();
        }

        private boolean booleanOption(String key, Token value, boolean absent) throws PuppetfileException {
            if (value == null) {
                return absent;
            }
            if (value.is(Kind.WORD)) {
                return value.text().equals("true");
            }
            throw new PuppetfileException(value.line(), ":" + key + " needs true or false");
        }
    }
}
