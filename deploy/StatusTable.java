import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Prints the quickstart's status: environment x master (desired vs deployed commit), then each master's health and
 * routing, then the load balancer's backends. Reads the services' JSON answers from the environment variables
 * ENVIRONMENTS, MASTERS and BACKENDS. Run with the JDK's single-file launcher (no dependencies).
 */
public final class StatusTable {

    public static void main(String[] args) {
        Object environments = parse(System.getenv("ENVIRONMENTS"));
        Object masters = parse(System.getenv("MASTERS"));
        Object backends = parse(System.getenv("BACKENDS"));
        printEnvironments(environments);
        System.out.println();
        printMasters(masters);
        System.out.println();
        printBackends(backends);
    }

    private static void printEnvironments(Object answer) {
        if (!(answer instanceof Map<?, ?> body) || !(body.get("environments") instanceof List<?> rows)) {
            System.out.println("environments: webhook-service did not answer");
            return;
        }
        TreeSet<String> masterIds = new TreeSet<>();
        for (Object row : rows) {
            for (Object cell : list(map(row).get("masters"))) {
                masterIds.add(String.valueOf(map(cell).get("masterId")));
            }
        }
        List<String> header = new ArrayList<>(List.of("ENVIRONMENT", "DESIRED"));
        header.addAll(masterIds);
        List<List<String>> table = new ArrayList<>();
        table.add(header);
        for (Object row : rows) {
            Map<?, ?> r = map(row);
            // A full sync ({"all": true}) names no commit: each master deploys the branch head it fetches.
            String desired = r.get("desiredCommit") == null ? "(head)" : shortSha(r.get("desiredCommit"));
            List<String> line = new ArrayList<>(List.of(String.valueOf(r.get("environment")),
                    Boolean.TRUE.equals(r.get("deleted")) ? "(deleted)" : desired));
            Map<String, Map<?, ?>> cells = new LinkedHashMap<>();
            for (Object cell : list(r.get("masters"))) {
                cells.put(String.valueOf(map(cell).get("masterId")), map(cell));
            }
            for (String master : masterIds) {
                Map<?, ?> cell = cells.get(master);
                if (cell == null) {
                    line.add("-");
                } else {
                    String deployed = shortSha(cell.get("deployedCommit"));
                    line.add(deployed + (Boolean.TRUE.equals(cell.get("inSync")) ? " ok" : " " + cell.get("status")));
                }
            }
            table.add(line);
        }
        print(table);
    }

    private static void printMasters(Object answer) {
        if (!(answer instanceof List<?> statuses)) {
            System.out.println("masters: health-monitor did not answer");
            return;
        }
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("MASTER", "ROLE", "HEALTH", "IN SYNC", "ROUTABLE", "LB ADDRESS", "REASON"));
        for (Object status : statuses) {
            Map<?, ?> s = map(status);
            table.add(List.of(str(s.get("masterId")), str(s.get("role")), str(s.get("health")),
                    yesNo(s.get("inSync")), yesNo(s.get("routable")), str(s.get("lbAddress")), str(s.get("reason"))));
        }
        print(table);
    }

    private static void printBackends(Object answer) {
        if (answer == null) {
            System.out.println("load balancer: lb-config-service did not answer");
            return;
        }
        System.out.println("load balancer: " + render(answer));
    }

    private static String render(Object value) {
        if (value instanceof Map<?, ?> m) {
            StringBuilder out = new StringBuilder("{");
            m.forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append(k).append('=').append(render(v)));
            return out.append('}').toString();
        }
        if (value instanceof List<?> l) {
            List<String> items = new ArrayList<>();
            l.forEach(v -> items.add(render(v)));
            return items.toString();
        }
        return String.valueOf(value);
    }

    private static void print(List<List<String>> table) {
        int columns = table.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : table) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
            }
            System.out.println(line.toString().stripTrailing());
        }
    }

    private static String shortSha(Object sha) {
        return sha == null ? "-" : String.valueOf(sha).substring(0, Math.min(10, String.valueOf(sha).length()));
    }

    private static String yesNo(Object b) {
        return Boolean.TRUE.equals(b) ? "yes" : "no";
    }

    private static String str(Object o) {
        return o == null ? "-" : String.valueOf(o);
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    // A small JSON reader: objects, arrays, strings, numbers, booleans, null.
    private static Object parse(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            int[] pos = {0};
            return value(json, pos);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Object value(String s, int[] p) {
        skip(s, p);
        char c = s.charAt(p[0]);
        if (c == '{') {
            Map<String, Object> m = new LinkedHashMap<>();
            p[0]++;
            skip(s, p);
            if (s.charAt(p[0]) == '}') {
                p[0]++;
                return m;
            }
            while (true) {
                skip(s, p);
                String key = (String) value(s, p);
                skip(s, p);
                p[0]++; // ':'
                m.put(key, value(s, p));
                skip(s, p);
                if (s.charAt(p[0]++) == '}') {
                    return m;
                }
            }
        }
        if (c == '[') {
            List<Object> l = new ArrayList<>();
            p[0]++;
            skip(s, p);
            if (s.charAt(p[0]) == ']') {
                p[0]++;
                return l;
            }
            while (true) {
                l.add(value(s, p));
                skip(s, p);
                if (s.charAt(p[0]++) == ']') {
                    return l;
                }
            }
        }
        if (c == '"') {
            StringBuilder out = new StringBuilder();
            p[0]++;
            while (s.charAt(p[0]) != '"') {
                char ch = s.charAt(p[0]++);
                if (ch == '\\') {
                    char esc = s.charAt(p[0]++);
                    switch (esc) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(s.substring(p[0], p[0] + 4), 16));
                            p[0] += 4;
                        }
                        default -> out.append(esc);
                    }
                } else {
                    out.append(ch);
                }
            }
            p[0]++;
            return out.toString();
        }
        int start = p[0];
        while (p[0] < s.length() && ",}] \n\r\t".indexOf(s.charAt(p[0])) < 0) {
            p[0]++;
        }
        String word = s.substring(start, p[0]);
        return switch (word) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null" -> null;
            default -> word;
        };
    }

    private static void skip(String s, int[] p) {
        while (p[0] < s.length() && Character.isWhitespace(s.charAt(p[0]))) {
            p[0]++;
        }
    }
}
