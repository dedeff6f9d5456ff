package dev.drover.master;

import java.util.List;

/** What {@code status} and {@code connections} answer: Workerman's text, or JSON ({@code --json}); each built only when asked for. */
interface Report {
    List<String> lines();

    String json();
}
