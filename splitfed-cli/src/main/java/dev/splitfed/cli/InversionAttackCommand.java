package dev.splitfed.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.splitfed.InvalidInputException;
import dev.splitfed.internal.attack.InversionAttack;
import dev.splitfed.internal.attack.ReconstructionGrid;
import dev.splitfed.internal.attack.ReconstructionQuality;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.internal.engine.Torch;
import dev.splitfed.model.Architecture;
import dev.splitfed.internal.model.NoisyCut;
import dev.splitfed.internal.model.SplitModel;
import dev.splitfed.scheme.Checkpoint;
import dev.splitfed.scheme.SimulationConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code splitfed attack inversion}: reconstructs inputs from a run's smashed data with a learned decoder. */
@Command(
        name = "inversion",
        header = "Reconstructs a split run's inputs from their smashed data.",
        modelTransformer = SettingsOptions.GroupedHelp.class,
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        sortOptions = false,
        description = {
            "Model inversion of a split run's smashed data. The attacker is the main server colluding with the "
                    + "fed server: it knows the run's client-side weights W_C (from checkpoint.bin) and holds auxiliary "
                    + "samples from the clients' distribution (the first half of the test set). It computes their smashed "
                    + "data exactly as a client does (with the run's --smashed-noise), trains a decoder from smashed data "
                    + "back to inputs, and reconstructs victims (from the second half of the test set) from the smashed "
                    + "data they would send. Prints the reconstructions' MSE, PSNR and SSIM (pixels in [0, 1]) against "
                    + "guessing the mean auxiliary image, and writes inversion.json and inversion.png into the run.",
            "",
            "Example: splitfed attack inversion --run runs/20261121-051500-sflv1 --threads 1",
            ""
        })
final class InversionAttackCommand implements Callable<Integer> {

    /** The results file in the run's directory. */
    static final String RESULT_FILE = "inversion.json";
    /** The originals-above-reconstructions picture in the run's directory. */
    static final String GRID_FILE = "inversion.png";

    @Spec
    private CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR",
            description = "Out directory of a finished split run (config.yaml, checkpoint.bin). Example: --run runs/x")
    private Path run;

    @Option(names = "--aux", paramLabel = "N",
            description = "Auxiliary samples, from the first half of the test set (default: 3000 or the half, if "
                    + "smaller). Example: --aux 5000")
    private Integer aux;

    @Option(names = "--victims", paramLabel = "N",
            description = "Victim samples, from the second half of the test set (default: 1000 or the half, if "
                    + "smaller). Example: --victims 500")
    private Integer victims;

    @Option(names = "--epochs", defaultValue = "5", paramLabel = "E",
            description = "Passes of the decoder over the auxiliary samples. Example: --epochs 20")
    private int epochs;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "B",
            description = "Auxiliary samples per decoder step. Example: --batch-size 128")
    private int batchSize;

    @Option(names = "--lr", defaultValue = "0.001", paramLabel = "RATE",
            description = "The decoder's Adam learning rate. Example: --lr 0.0005")
    private float lr;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seeds the noise, the decoder's initial weights and its batch order. Example: --seed 7")
    private long seed;

    @Option(names = "--show", defaultValue = "10", paramLabel = "K",
            description = "Victims shown in inversion.png. Example: --show 16")
    private int show;

    @Option(names = "--threads", paramLabel = "T",
            description = "PyTorch threads (default: the number of cores). Example: --threads 1")
    private Integer threads;

    @Override
    public Integer call() {
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(batchSize >= 1, "batch-size must be at least 1, got " + batchSize);
        require(lr > 0 && Float.isFinite(lr), "lr must be a positive number, got " + lr);
        require(show >= 1, "show must be at least 1, got " + show);
        require(threads == null || threads >= 1, "threads must be at least 1, got " + threads);
        if (!Files.isDirectory(run)) {
            throw new InvalidInputException("--run " + run + " is not a directory");
        }
        SimulationConfig config = RunSettings.fromRun(run);
        if (!config.scheme().isSplit()) {
            throw new InvalidInputException("the run in " + run + " trained " + config.scheme().id()
                    + ", which sends no smashed data: model inversion needs a run of sl, sflv1 or sflv2");
        }
        Checkpoint checkpoint = Checkpoint.read(run);
        Torch.setThreads(threads != null ? threads : config.threads());
        DataSplit data = DatasetCatalog.load(config.dataset(), config.dataOptions(), config.dataDir(), System.getenv());
        Dataset test = data.test();
        if (test.kind() == Dataset.Kind.TOKENS) {
            throw new InvalidInputException("the run in " + run + " trained on words: a decoder of pixels does not apply. "
                    + "At cut 1 a next-word model's smashed data are rows of the embedding, so anyone holding W_C "
                    + "reads every word back exactly by finding the matching row; cut 2 sends the LSTM's summary instead");
        }
        int half = test.size() / 2;
        int auxCount = aux != null ? aux : Math.min(3000, half);
        int victimCount = victims != null ? victims : Math.min(1000, test.size() - half);
        require(auxCount >= 1 && auxCount <= half,
                "aux must be between 1 and " + half + " (half of the " + test.size() + " test samples), got " + auxCount);
        require(victimCount >= 1 && victimCount <= test.size() - half,
                "victims must be between 1 and " + (test.size() - half) + " (the other half of the test samples), got "
                        + victimCount);
        String model = config.model() != null ? config.model() : DatasetCatalog.naturalModel(config.dataset());
        Architecture plain = Architecture.create(model, test);
        int cut = plain.checkCut(config.cut());
        int clientSize;
        int total;
        try (SplitModel shape = SplitModel.create(plain, cut)) {
            clientSize = shape.client().size();
            total = shape.size();
        }
        if (checkpoint.globalWeights().length != total) {
            throw new InvalidInputException("the checkpoint in " + run + " holds " + checkpoint.globalWeights().length
                    + " weights, but " + model + " cut " + cut + " has " + total);
        }
        Dataset auxData = test.select(IntStream.range(0, auxCount).toArray());
        Dataset victimData = test.select(IntStream.range(half, half + victimCount).toArray());
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "inversion attack on %s: %s, %s cut %d, smashed-noise %s, round %d%n", run,
                config.scheme().id(), model, cut, config.smashedNoise().spec(), checkpoint.round());
        out.printf(Locale.ROOT, "decoder trained on %,d auxiliary test samples for %d epoch(s); %,d victims%n",
                auxCount, epochs, victimCount);
        out.flush();
        long start = System.nanoTime();
        InversionAttack.Result result = InversionAttack.run(NoisyCut.of(plain, cut, config.smashedNoise()), cut,
                Arrays.copyOfRange(checkpoint.globalWeights(), 0, clientSize), auxData, victimData,
                new InversionAttack.Settings(epochs, batchSize, lr, seed));
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "%-16s %10s %10s %8s%n", "", "MSE", "PSNR (dB)", "SSIM");
        print(out, "decoder", result.decoder());
        print(out, "mean aux sample", result.baseline());
        if (result.images()) {
            ReconstructionGrid.write(run.resolve(GRID_FILE), result.victims(), result.reconstructions(),
                    result.inputShape(), Math.min(show, victimCount));
        }
        writeResult(config, checkpoint, auxCount, victimCount, result, seconds);
        out.printf(Locale.ROOT, "%.1f s; %s%s in %s%n", seconds, RESULT_FILE, result.images() ? " and " + GRID_FILE : "",
                run);
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, String name, ReconstructionQuality q) {
        out.printf(Locale.ROOT, "%-16s %10.5f %10s %8s%n", name, q.mse(),
                Double.isNaN(q.psnr()) ? "-" : String.format(Locale.ROOT, "%.2f", q.psnr()),
                Double.isNaN(q.ssim()) ? "-" : String.format(Locale.ROOT, "%.4f", q.ssim()));
    }

    private void writeResult(SimulationConfig config, Checkpoint checkpoint, int auxCount, int victimCount,
            InversionAttack.Result result, double seconds) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scheme", config.scheme().id());
        json.put("smashed_noise", config.smashedNoise().spec());
        json.put("round", checkpoint.round());
        json.put("aux", auxCount);
        json.put("victims", victimCount);
        json.put("epochs", epochs);
        json.put("batch_size", batchSize);
        json.put("lr", lr);
        json.put("seed", seed);
        json.put("decoder", quality(result.decoder()));
        json.put("mean_aux_sample", quality(result.baseline()));
        json.put("decoder_training_mse", result.trainingLoss());
        json.put("seconds", seconds);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(run.resolve(RESULT_FILE).toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + RESULT_FILE + " in " + run, e);
        }
    }

    private static Map<String, Object> quality(ReconstructionQuality q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mse", q.mse());
        m.put("psnr", Double.isNaN(q.psnr()) ? null : q.psnr());
        m.put("ssim", Double.isNaN(q.ssim()) ? null : q.ssim());
        return m;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new InvalidInputException(message);
        }
    }
}
