package org.jchrony.cli;

/** Entry point of jchronyd (chronyd's command line). Replaced by the full CLI in the foundation work. */
public final class JchronydMain {
    private JchronydMain() {}

    public static void main(String[] args) {
        System.out.println("jchronyd (jchrony) version 0.1.0");
    }
}
