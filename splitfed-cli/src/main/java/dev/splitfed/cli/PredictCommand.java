package dev.splitfed.cli;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.internal.data.Fortunes;
import dev.splitfed.internal.data.Vocabulary;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.NextWordPredictor;
import dev.splitfed.scheme.Checkpoint;
import dev.splitfed.scheme.SimulationConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code splitfed predict}: the next words a trained next-word model suggests after a text. */
@Command(
        name = "predict",
        header = "Prints the next words a trained next-word model suggests after a text.",
        modelTransformer = SettingsOptions.GroupedHelp.class,
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        sortOptions = false,
        description = {
            "Prints the words a trained next-word model (--model next-word) suggests after a text, most probable "
                    + "first, with their probabilities: what a keyboard would offer. The model is a run's global model "
                    + "(checkpoint.bin, after its last completed round); the run's out directory also holds the vocabulary "
                    + "(vocabulary.txt) and settings (config.yaml) it needs.",
            "",
            "Examples:",
            "  splitfed simulate --dataset fortunes --scheme sflv1 --clients 43 --rounds 10 --lr 0.5 --out runs/words",
            "  splitfed predict --model-file runs/words/checkpoint.bin --text \"the meaning of\"",
            ""
        })
final class PredictCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model-file", required = true, paramLabel = "FILE",
            description = "A run's checkpoint.bin, or its out directory. Example: --model-file runs/words/checkpoint.bin")
    private Path modelFile;

    @Option(names = "--text", required = true, paramLabel = "TEXT",
            description = "What was typed so far (may be empty). Example: --text \"a penny saved is a\"")
    private String text;

    @Option(names = "--top", defaultValue = "3", paramLabel = "K",
            description = "How many words to suggest, >= 1. Example: --top 5")
    private int top;

    @Override
    public Integer call() {
        if (!Files.exists(modelFile)) {
            throw new InvalidInputException("--model-file " + modelFile + " does not exist");
        }
        if (!Files.isDirectory(modelFile) && !modelFile.getFileName().toString().equals(Checkpoint.FILE)) {
            throw new InvalidInputException("--model-file must be a run's " + Checkpoint.FILE + " or its out directory, not "
                    + modelFile);
        }
        Path dir = Files.isDirectory(modelFile) ? modelFile : modelFile.toAbsolutePath().getParent();
        if (top < 1) {
            throw new InvalidInputException("--top must be at least 1, not " + top);
        }
        SimulationConfig cfg = RunSettings.fromRun(dir);
        if (cfg.personalHead()) {
            throw new InvalidInputException("the run in " + dir + " kept each client's output layer on the client "
                    + "(--personal-head), so its checkpoint holds no trained output layer to predict with");
        }
        String model = cfg.model() != null ? cfg.model() : DatasetCatalog.naturalModel(cfg.dataset());
        Vocabulary vocabulary = Vocabulary.read(dir);
        Architecture architecture = Architecture.create(model, new int[] {Fortunes.CONTEXT}, vocabulary.size());
        Checkpoint checkpoint = Checkpoint.read(dir);
        NextWordPredictor predictor;
        try {
            predictor = new NextWordPredictor(architecture, checkpoint.globalWeights(), vocabulary);
            PrintWriter out = spec.commandLine().getOut();
            for (NextWordPredictor.Suggestion s : predictor.suggest(text, top)) {
                out.printf(Locale.ROOT, "%-20s %.4f%n", s.word(), s.probability());
            }
            out.flush();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("the checkpoint in " + dir + " does not fit " + model + " with "
                    + vocabulary.size() + " words: " + e.getMessage(), e);
        }
        return 0;
    }
}
