package io.sensorflow.benchmark;

import java.util.List;

/** One row of the results table: what was measured, the target for it, and the verdict. */
record Figure(String name, String measured, String target, String verdict) {

    /** A figure the issue sets no target for. */
    static Figure reported(String name, String measured) {
        return new Figure(name, measured, "-", "-");
    }

    /** The figures as a table, one row each. */
    static String table(List<Figure> figures) {
        String[] head = {"figure", "measured", "target", "met / missed by"};
        int[] w = new int[] {head[0].length(), head[1].length(), head[2].length(), head[3].length()};
        for (Figure f : figures) {
            w[0] = Math.max(w[0], f.name.length());
            w[1] = Math.max(w[1], f.measured.length());
            w[2] = Math.max(w[2], f.target.length());
            w[3] = Math.max(w[3], f.verdict.length());
        }
        StringBuilder b = new StringBuilder();
        row(b, w, head);
        b.append(String.format("|-%s-|-%s-|-%s-|-%s-|%n", "-".repeat(w[0]), "-".repeat(w[1]), "-".repeat(w[2]), "-".repeat(w[3])));
        for (Figure f : figures) {
            row(b, w, new String[] {f.name, f.measured, f.target, f.verdict});
        }
        return b.toString();
    }

    private static void row(StringBuilder b, int[] w, String[] cells) {
        b.append(String.format("| %-" + w[0] + "s | %-" + w[1] + "s | %-" + w[2] + "s | %-" + w[3] + "s |%n",
                (Object[]) cells));
    }

    /** "met", or by how much a value fell short of a minimum. */
    static String atLeast(double measured, double target) {
        return measured >= target ? "met" : String.format("missed by %.0f %% (%.2f of the target)",
                100 * (1 - measured / target), measured / target);
    }

    /** "met", or by how much a value exceeded a maximum. */
    static String atMost(double measured, double target, String unit) {
        return measured <= target ? "met" : String.format("missed by %,.0f %s (%.1fx the target)",
                measured - target, unit, measured / target);
    }
}
