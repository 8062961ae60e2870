package dev.splitfed.cli;

import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.attack.LabelInference;
import dev.splitfed.internal.attack.SplitGradients;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.NoisyCut;
import dev.splitfed.internal.model.SplitLayout;
import dev.splitfed.internal.random.Seeds;
import dev.splitfed.scheme.Checkpoint;
import dev.splitfed.scheme.SimulationConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.rng.sampling.PermutationSampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitfed attack labels}: how well an honest-but-curious main server infers the clients'
 * labels from the gradients that cross the split of a finished run.
 */
@Command(
        name = "labels",
        header = "Infers a split run's labels from the gradients at the cut.",
        modelTransformer = SettingsOptions.GroupedHelp.class,
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        sortOptions = false,
        description = {
            "Label inference against a run of sl, sflv1 or sflv2, as its main server could mount it: rebuilds the"
                    + " run's model from its config.yaml and checkpoint.bin, computes for victim samples (drawn from the "
                    + "test set) the gradients the main server sees crossing the split in a training step, clusters them "
                    + "into one cluster per class (spherical k-means, seeded; Liu and Lyu 2022) and reports the accuracy "
                    + "under the best one-to-one cluster-to-label assignment (Hungarian method), beside the chance level. "
                    + "With shared labels the main server receives the labels outright (accuracy 1 by construction); the "
                    + "attack on the cut-layer gradients shows what the gradients alone give away. With --labels private it"
                    + " attacks the gradients at the middle's output that the clients send, and the cut-layer gradients.",
            "",
            "Example: splitfed attack labels --run runs/20261121-051500-sflv1 --samples 2000",
            ""
        })
final class LabelAttackCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR",
            description = "The run's out directory (config.yaml and checkpoint.bin). Example: --run runs/first")
    private Path run;

    @Option(names = "--samples", defaultValue = "1000", paramLabel = "N",
            description = "Victim samples, drawn at random from the test set. Example: --samples 2000")
    private int samples;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seeds the choice of victims and the clustering. Example: --seed 7")
    private long seed;

    @Option(names = "--threads", paramLabel = "T",
            description = "PyTorch threads (default: the run's). Example: --threads 1")
    private Integer threads;

    @Override
    public Integer call() {
        try {
            return attack();
        } catch (InvalidInputException e) {
            spec.commandLine().getErr().println("splitfed: " + Main.sentence(Main.asFlags(e)));
            return Main.USAGE;
        }
    }

    private int attack() {
        SimulationConfig cfg = RunSettings.fromRun(run, threads == null ? new String[0]
                : new String[] {"--threads", threads.toString()});
        if (!cfg.scheme().isSplit()) {
            throw new InvalidInputException("the run in " + run + " is " + cfg.scheme().id()
                    + ", which has no main server and no split to attack; label inference applies to sl, sflv1 and sflv2");
        }
        Checkpoint checkpoint = Checkpoint.read(run);
        PrintWriter out = spec.commandLine().getOut();
        DataSplit data = SimulateCommand.load(cfg, spec.commandLine().getErr());
        Dataset test = data.test();
        if (test.kind() == Dataset.Kind.TOKENS) {
            throw new InvalidInputException("the run in " + run + " trained on words: label inference clusters cut-layer "
                    + "gradients into one cluster per class, which does not scale to a " + test.numClasses()
                    + "-word vocabulary");
        }
        if (samples < test.numClasses() || samples > test.size()) {
            throw new InvalidInputException("samples must be in " + test.numClasses() + " to " + test.size()
                    + " (at least one per class, at most the test set), got " + samples);
        }
        String model = cfg.model() != null ? cfg.model() : DatasetCatalog.naturalModel(cfg.dataset());
        // The run's noise layer, if any, is part of what produced the gradients the server saw.
        Architecture architecture = NoisyCut.of(
                Architecture.create(model, test), cfg.cut(), cfg.smashedNoise());
        Torch.setThreads(cfg.threads());
        Torch.seed(seed);
        SplitLayout layout = SplitLayout.of(architecture, cfg.cut(), cfg.labels());
        if (checkpoint.globalWeights().length != layout.size()) {
            throw new InvalidInputException(run + "'s checkpoint holds " + checkpoint.globalWeights().length
                    + " weights, but " + model + " has " + layout.size());
        }
        int[] victims = new PermutationSampler(Seeds.rng(seed, "label-attack"), test.size(), samples).sample();
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            labels[i] = test.label(victims[i]);
        }
        SplitGradients gradients =
                SplitGradients.of(architecture, layout, checkpoint.globalWeights(), test, victims, cfg.batchSize());
        LabelInference.Result atCut = LabelInference.attack(gradients.cut(), labels, test.numClasses(), seed);

        out.printf(Locale.ROOT, "label inference against %s: %s, %s cut %d, labels %s, checkpoint of round %d%n",
                run, cfg.scheme().id(), model, cfg.cut(), cfg.labels().id(), checkpoint.round());
        out.printf(Locale.ROOT, "victims: %,d test samples of %s (seed %d), %d classes; chance %.4f (the largest class's "
                + "share)%n%n", samples, test.name(), seed, test.numClasses(), atCut.chance());
        out.printf("%-50s %14s  %s%n", "what the main server sees", "values/sample", "attack accuracy");
        if (layout.privateLabels()) {
            LabelInference.Result atMiddle =
                    LabelInference.attack(gradients.middle(), labels, test.numClasses(), seed);
            out.printf("%-50s %14s  %s%n", "labels", "-", "never sent");
            row(out, "gradients at the middle output (from the clients)", gradients.middle()[0].length, atMiddle);
        } else {
            out.printf("%-50s %14s  %s%n", "labels (sent with the smashed data)", "1", "1.0000 (by construction)");
        }
        row(out, "gradients at the cut (it computes them)", gradients.cut()[0].length, atCut);
        out.printf(Locale.ROOT, "%nattack: spherical k-means (cosine) into %d clusters, the best of %d seeded restarts, "
                + "scored under the%nbest one-to-one cluster-to-label assignment (Liu and Lyu 2022; Li et al. 2022)%n",
                test.numClasses(), LabelInference.RESTARTS);
        return 0;
    }

    private static void row(PrintWriter out, String what, int values, LabelInference.Result result) {
        out.printf(Locale.ROOT, "%-50s %,14d  %.4f%n", what, values, result.accuracy());
    }
}
