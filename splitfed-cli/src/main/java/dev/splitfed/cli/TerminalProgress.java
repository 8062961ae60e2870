package dev.splitfed.cli;

import dev.splitfed.data.ClassHistogram;
import dev.splitfed.internal.data.NaturalPartitioner;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.report.PeakMemory;
import dev.splitfed.scheme.RoundMetrics;
import dev.splitfed.scheme.SimulationPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What a person sees while a run trains: the set-up and partition at the start, a progress bar
 * during each round (only on an interactive terminal), then one line per round.
 */
final class TerminalProgress {

    /** The delta at which the Gaussian noise layer's guarantee is stated. */
    static final double NOISE_DELTA = 1e-5;

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean interactive = System.console() != null;
    private ProgressBar bar;
    private int rounds;

    TerminalProgress(PrintWriter out, PrintWriter err, boolean quiet) {
        this.out = out;
        this.err = err;
        this.quiet = quiet;
    }

    void started(SimulationPlan plan, int resumedAfter) {
        rounds = plan.config().rounds();
        if (quiet || resumedAfter > 0) {
            return;
        }
        var c = plan.config();
        out.printf(Locale.ROOT, "scheme %s, model %s cut %d (|W_C| = %,d, |W_S| = %,d), %s: %,d train / %,d test samples%n",
                c.scheme().id(), plan.architecture().name(), c.cut(), plan.clientParameters(), plan.serverParameters(),
                c.dataset(), plan.data().train().size(), plan.data().test().size());
        if (c.labels() == LabelSharing.PRIVATE) {
            out.println("labels private (U-shaped split): the clients keep the last stage, the loss and the labels; "
                    + "|W_C| counts that stage");
        }
        out.printf(Locale.ROOT, "data from %s%n", plan.data().source());
        out.printf(Locale.ROOT, "%d client(s), partition %s, fraction %s, %d round(s) of %d local epoch(s), batch %d, %s lr %s, seed %d%n",
                plan.partition().length, plan.partition().length > 1 ? c.partition() : "all", c.fraction(), c.rounds(),
                c.localEpochs(), c.batchSize(), c.optimizer().name(), c.optimizer().learningRate(), c.seed());
        if (!c.strategy().plain() || c.proxMu() > 0) {
            out.printf(Locale.ROOT, "server optimizer %s, FedProx mu %s%n", c.strategy().spec(), c.proxMu());
        }
        if (c.smashedNoise().enabled()) {
            out.println(c.smashedNoise().describe((long) c.rounds() * c.localEpochs(), NOISE_DELTA));
        }
        if (!c.aggregator().isFedAvg()) {
            out.printf(Locale.ROOT, "aggregator %s%n", c.aggregator().spec());
        }
        if (!c.maliciousClients().isEmpty()) {
            out.printf(Locale.ROOT, "malicious client(s) %s: %s%n", c.maliciousClients(), c.attack().spec());
        }
        out.print(plan.histogram().format(plan.data().train().classNames()));
        if (plan.data().train().hasOwners() && plan.partition().length > 1
                && c.partition().equals(NaturalPartitioner.SPEC)) {
            out.print(owners(plan));
        }
        out.flush();
    }

    void roundStarted(int round, long batches) {
        if (quiet || !interactive) {
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "round %d/%d", round, rounds))
                .setInitialMax(batches)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" batches", 1)
                .setUpdateIntervalMillis(250)
                .continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .clearDisplayOnFinish()
                .build();
    }

    void batchDone() {
        if (bar != null) {
            bar.step();
        }
    }

    void roundFinished(RoundMetrics m) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (quiet) {
            return;
        }
        out.printf(Locale.ROOT,
                "round %3d/%d  test acc %.4f  test loss %.4f  train loss %.4f  %6.1fs  up %s  down %s%s%n",
                m.round(), rounds, m.testAccuracy(), m.testLoss(), m.trainLoss(), m.seconds(),
                ByteUnits.format(m.bytesUp()), ByteUnits.format(m.bytesDown()), privacy(m));
        out.flush();
    }

    /** Returns which natural owners (fortune files) each client holds, for the first clients. */
    private static String owners(SimulationPlan plan) {
        var train = plan.data().train();
        int[] ownerOf = train.owners();
        StringBuilder s = new StringBuilder();
        int shown = Math.min(plan.partition().length, ClassHistogram.ROWS_WHEN_LONG);
        for (int k = 0; k < shown; k++) {
            s.append(String.format(Locale.ROOT, "client %d: %s%n", k, String.join(", ", Arrays.stream(plan.partition()[k])
                    .map(i -> ownerOf[i]).distinct().mapToObj(o -> train.ownerNames().get(o)).toList())));
        }
        if (shown < plan.partition().length) {
            s.append("… ").append(plan.partition().length - shown).append(" more clients\n");
        }
        return s.toString();
    }

    /** Returns the epsilons spent so far and the clients' own accuracy, for the end of a round's line; empty without them. */
    private static String privacy(RoundMetrics m) {
        String s = "";
        if (m.top3Accuracy() != null) {
            s += String.format(Locale.ROOT, "  top-3 %.4f  perplexity %.1f", m.top3Accuracy(), m.perplexity());
        }
        if (m.epsilon() != null) {
            s += String.format(Locale.ROOT, "  epsilon %.3f", m.epsilon());
        }
        if (m.userEpsilon() != null) {
            s += String.format(Locale.ROOT, "  user epsilon %.3f", m.userEpsilon());
        }
        if (m.personalAccuracy() != null) {
            s += String.format(Locale.ROOT, "  personal acc %.4f (%.4f-%.4f)",
                    m.personalAccuracy(), m.personalAccuracyMin(), m.personalAccuracyMax());
        }
        return s;
    }

    void finished(List<RoundMetrics> history, Path dir) {
        RoundMetrics last = history.get(history.size() - 1);
        double best = history.stream().mapToDouble(RoundMetrics::testAccuracy).max().orElseThrow();
        double seconds = history.stream().mapToDouble(RoundMetrics::seconds).average().orElseThrow();
        long measured = history.stream().mapToLong(RoundMetrics::bytes).sum() / history.size();
        long predicted = history.stream().mapToLong(RoundMetrics::predictedBytes).sum() / history.size();
        out.printf(Locale.ROOT, "final test accuracy %.4f (best %.4f), %.1f s per round%n",
                last.testAccuracy(), best, seconds);
        out.printf(Locale.ROOT, "bytes per round %s measured, %s predicted by the cost model%n",
                ByteUnits.format(measured), ByteUnits.format(predicted));
        long resident = PeakMemory.residentBytes();
        out.printf(Locale.ROOT, "peak memory: heap %s of %s%s%n", ByteUnits.format(PeakMemory.heapBytes()),
                ByteUnits.format(Runtime.getRuntime().maxMemory()),
                resident < 0 ? "" : ", resident " + ByteUnits.format(resident));
        out.printf(Locale.ROOT, "metrics, summary and report.html in %s%n", dir);
        out.flush();
        err.flush();
    }
}
