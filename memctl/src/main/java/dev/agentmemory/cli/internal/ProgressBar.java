package dev.agentmemory.cli.internal;

import dev.agentmemory.model.ProgressListener;
import java.io.PrintStream;

/**
 * Draws the progress of an export, import or purge on standard error, on one line that redraws itself. Only used when
 * memctl runs on a terminal ({@link System#console()} is not null); otherwise progress is not shown, so that scripts
 * and logs get no control characters.
 */
final class ProgressBar implements ProgressListener, AutoCloseable {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream err;
    private boolean drawn;
    private long lastDraw;
    private String lastPhase = "";

    private ProgressBar(PrintStream err) {
        this.err = err;
    }

    /** Returns a progress bar on standard error when memctl runs on a terminal, otherwise {@code null}. */
    static ProgressBar forTerminalOrNull(PrintStream err) {
        return System.console() != null ? new ProgressBar(err) : null;
    }

    static ProgressListener listener(ProgressBar bar) {
        return bar == null ? ProgressListener.NONE : bar;
    }

    @Override
    public void progress(String phase, long done, long total) {
        long now = System.nanoTime();
        boolean finished = total >= 0 && done >= total;
        if (!finished && phase.equals(lastPhase) && drawn && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        if (drawn && !phase.equals(lastPhase)) {
            err.print('\n');
        }
        lastPhase = phase;
        lastDraw = now;
        StringBuilder line = new StringBuilder("\r").append(phase).append(' ');
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, done * WIDTH / total);
            line.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ")
                    .append(Math.min(100, done * 100 / total)).append("% ").append(done).append('/').append(total);
        } else {
            line.append(done);
        }
        err.print(line);
        err.flush();
        drawn = true;
    }

    @Override
    public void close() {
        if (drawn) {
            err.print('\n');
            err.flush();
        }
    }
}
