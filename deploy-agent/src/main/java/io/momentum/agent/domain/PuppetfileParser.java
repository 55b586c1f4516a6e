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
    /** r10k 3.x keeps spec/ unless told otherwise; r10k 4 and later remove it (see the README's table). */
    static final boolean EXCLUDE_SPEC_DEFAULT = false;
    private static final Map<String, ModuleSpec.RefKind> REF_KINDS = refKinds();

    private PuppetfileParser() {
    }

    private static Map<String, ModuleSpec.RefKind> refKinds() {
        Map<String, ModuleSpec.RefKind> kinds = new LinkedHashMap<>();
        kinds.put("ref", ModuleSpec.RefKind.REF);
        kinds.put("branch", ModuleSpec.RefKind.BRANCH);
        kinds.put("tag", ModuleSpec.RefKind.TAG);
        kinds.put("commit", ModuleSpec.RefKind.COMMIT);
        kinds.put("version", ModuleSpec.RefKind.REF);
        return kinds;
    }

    static Puppetfile parse(String content) throws PuppetfileException {
        List<List<Token>> statements = new PuppetfileLexer(content).statements();
        String forge = null;
        // As in r10k, moduledir applies to the modules declared after it.
        String moduledir = Puppetfile.DEFAULT_MODULEDIR;
        List<ModuleSpec> modules = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (List<Token> tokens : statements) {
            Statement statement = Statement.of(tokens);
            switch (statement.keyword) {
                case "forge" -> forge = statement.singleString();
                case "moduledir" -> moduledir = relativeDir(statement.singleString(), statement.line, "moduledir");
                // r10k 5 accepts librarian-puppet's exclusion and does nothing with it.
                case "exclusion" -> statement.singleString();
                default -> {
                    ModuleSpec module = statement.toModule(moduledir);
                    Integer earlier = names.putIfAbsent(module.name(), module.line());
                    if (earlier != null) {
                        throw new PuppetfileException(module.line(), "module '" + module.name()
                                + "' is already declared on line " + earlier
                                + "; module names must be unique, even in different directories (as in r10k)");
                    }
                    modules.add(module);
                }
            }
        }
        return new Puppetfile(forge, moduledir, modules);
    }

    /** A directory relative to the environment, normalized; refuses anything that would leave the environment. */
    static String relativeDir(String dir, int line, String what) throws PuppetfileException {
        if (dir.startsWith("/")) {
            throw new PuppetfileException(line, what + " '" + dir + "' is absolute; Momentum installs modules only"
                    + " inside the environment it deploys: give a relative path inside the environment");
        }
        if (dir.contains("\\") || dir.indexOf('\0') >= 0) {
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
                throw new PuppetfileException(first.line(), "unsupported syntax: expected forge, moduledir, mod or exclusion");
            }
            if (!List.of("forge", "moduledir", "mod", "exclusion").contains(first.text())) {
                throw new PuppetfileException(first.line(), "unsupported statement '" + first.text()
                        + "' (only forge, moduledir, mod and exclusion are understood)");
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

        ModuleSpec toModule(String moduledir) throws PuppetfileException {
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
            String installDir = moduledir;
            Token installPath = options.remove("install_path");
            if (installPath != null) {
                installDir = relativeDir(stringOption("install_path", installPath), line, ":install_path");
            }
            // r10k leaves spec/ alone in a module given its own :install_path ("not in the moduledir").
            boolean excludeSpec = booleanOption("exclude_spec", options.remove("exclude_spec"),
                    EXCLUDE_SPEC_DEFAULT) && installPath == null;
            String type = typeOption();
            if (options.containsKey("git") || "git".equals(type)) {
                return gitModule(title, name, installDir, excludeSpec);
            }
            if (options.containsKey("svn") || "svn".equals(type)) {
                throw new PuppetfileException(line, "mod '" + title + "' uses :svn, which Momentum does not support;"
                        + " mirror the repository to git and use :git");
            }
            Token local = options.remove("local");
            if (local != null || "local".equals(type)) {
                if (local != null && !booleanOption("local", local, false)) {
                    throw new PuppetfileException(line, ":local => false is not a module source");
                }
                requireNoMore();
                return new ModuleSpec.Local(name, installDir, line);
            }
            if ("tarball".equals(type)) {
                throw new PuppetfileException(line, "mod '" + title + "' is a tarball module (type: 'tarball'), which"
                        + " Momentum does not support; publish it in a git repository and use :git, or on a Forge"
                        + " and give its version");
            }
            if (type != null && !type.equals("forge")) {
                throw new PuppetfileException(line, "mod '" + title + "' has unknown type '" + type
                        + "' (known: git, forge, local; svn and tarball are not supported)");
            }
            return forgeModule(author, name, installDir, excludeSpec);
        }

        /** {@code type:} as a string or symbol, as r10k compares its text; {@code null} when absent. */
        private String typeOption() throws PuppetfileException {
            Token type = options.remove("type");
            if (type == null) {
                return null;
            }
            if (!type.is(Kind.STRING) && !type.is(Kind.SYMBOL)) {
                throw new PuppetfileException(type.line(), ":type needs a string, not '" + type.text() + "'");
            }
            return type.text();
        }

        private ModuleSpec gitModule(String title, String name, String installDir, boolean excludeSpec)
                throws PuppetfileException {
            if (positional.size() > 1) {
                throw new PuppetfileException(line, "a git module takes no version argument; use :ref, :tag, :branch,"
                        + " :commit or version:");
            }
            Token git = options.remove("git");
            Token source = options.remove("source");
            if (git != null && source != null) {
                throw new PuppetfileException(line, "give the repository once, as :git or as source:, not both");
            }
            if (git == null && source == null) {
                throw new PuppetfileException(line, "git module '" + title + "' needs its repository (source: or :git)");
            }
            String url = git != null ? stringOption("git", git) : stringOption("source", source);
            if (url.isBlank()) {
                throw new PuppetfileException(line, "the git URL of '" + title + "' is empty");
            }
            ModuleSpec.RefKind kind = null;
            String ref = null;
            String given = null;
            for (String key : REF_KINDS.keySet()) {
                Token value = options.remove(key);
                if (value == null) {
                    continue;
                }
                if (kind != null) {
                    throw new PuppetfileException(line, "give only one of :ref, :branch, :tag, :commit, version: (:"
                            + given + " and :" + key + " both name the ref)");
                }
                given = key;
                kind = REF_KINDS.get(key);
                if (value.is(Kind.SYMBOL) && value.text().equals("control_branch")) {
                    kind = ModuleSpec.RefKind.CONTROL_BRANCH;
                } else {
                    ref = refOption(key, value);
                }
            }
            if (kind == ModuleSpec.RefKind.COMMIT && !ref.matches("[0-9a-fA-F]{7,40}")) {
                throw new PuppetfileException(line, ":commit '" + ref + "' is not a commit id");
            }
            Token defaultBranch = options.remove("default_branch");
            Token override = options.remove("default_branch_override");
            String fallback = defaultBranch == null ? null : refOption("default_branch", defaultBranch);
            String overrideRef = override == null ? null : refOption("default_branch_override", override);
            requireNoMore();
            if (kind == null) {
                kind = ModuleSpec.RefKind.BRANCH;
                ref = "master";
            }
            return new ModuleSpec.Git(name, installDir, line, url, kind, ref, fallback, overrideRef, excludeSpec);
        }

        private String refOption(String key, Token value) throws PuppetfileException {
            String ref = stringOption(key, value);
            if (ref.isBlank() || ref.startsWith("-")) {
                throw new PuppetfileException(line, "invalid git ref '" + ref + "'");
            }
            if (ref.equals("HEAD")) {
                throw new PuppetfileException(line, ":" + key + " => 'HEAD' (the remote's default branch) is not"
                        + " supported; name the branch, e.g. :branch => 'main'");
            }
            return ref;
        }

        private ModuleSpec forgeModule(String author, String name, String installDir, boolean excludeSpec)
                throws PuppetfileException {
            Token version = options.remove("version");
            if (positional.size() > 1) {
                if (version != null) {
                    throw new PuppetfileException(line, "the Forge version is given twice");
                }
                version = positional.get(1);
            }
            // r10k ignores source: for Forge modules; the configured Forge is where they come from.
            options.remove("source");
            requireNoMore();
            if (author == null) {
                throw new PuppetfileException(line, "Forge module '" + name
                        + "' needs its author ('author/" + name + "'), or give :git or :local");
            }
            if (!AUTHOR.matcher(author).matches()) {
                throw new PuppetfileException(line, "invalid Forge author '" + author + "'");
            }
            String exact = null;
            boolean latest = false;
            if (version != null && version.is(Kind.STRING)) {
                if (!VERSION.matcher(version.text()).matches()) {
                    throw new PuppetfileException(line, "Forge version '" + version.text() + "' is not a semantic version");
                }
                exact = version.text();
            } else if (version != null && version.is(Kind.SYMBOL) && version.text().equals("latest")) {
                latest = true;
            } else if (version != null) {
                throw new PuppetfileException(line, "unsupported Forge version " + version.text()
                        + " (give 'x.y.z' or :latest)");
            }
            return new ModuleSpec.Forge(author.toLowerCase(), name, installDir, line, exact, latest, excludeSpec);
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
