package dev.splitfed.cli;

import dev.splitfed.InvalidInputException;
import dev.splitfed.compress.Codec;
import dev.splitfed.cost.CostModel;
import dev.splitfed.cost.LinkRate;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.data.Dataset;
import dev.splitfed.model.Architecture;
import dev.splitfed.model.LabelSharing;
import dev.splitfed.internal.random.Seeds;
import dev.splitfed.scheme.Scheme;
import dev.splitfed.scheme.SimulationConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code splitfed cost}: the analytic communication of each scheme, before running anything. */
@Command(
        name = "cost",
        header = "Predicts the bytes each scheme moves in a round, without training anything.",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        sortOptions = false,
        modelTransformer = SettingsOptions.Setup.class,
        description = {
            "Prints the bytes one round moves between clients and servers under fl, sl, sflv1 and sflv2, per "
                    + "client and in total, from the cost model of docs/design.md (float32 values, int32 labels), for the"
                    + " clients the partition gives. With --compress it counts the codecs' bytes instead (smashed data, "
                    + "cut-layer gradients and updates; one table row per scheme and codec). With a link rate it adds the "
                    + "time on the wire: clients of fl, sflv1 and sflv2 use their links at once, those of sl one after "
                    + "another.",
            "",
            "Examples:",
            "  splitfed cost",
            "  splitfed cost --model lenet5 --cut 2 --clients 100 --rate 20Mbit/s --compute-seconds 4",
            "  splitfed cost --compress none,fp16,int8,topk:0.01",
            ""
        })
final class CostCommand implements Callable<Integer> {

    private static final List<Scheme> SCHEMES = List.of(Scheme.FL, Scheme.SL, Scheme.SFLV1, Scheme.SFLV2);

    @Spec
    private CommandSpec spec;

    @Option(names = "--compress", defaultValue = "none", split = ",", paramLabel = "CODEC",
            description = "One or more codecs: none, fp16, int8, topk:RATIO. Example: --compress none,int8")
    private List<String> compress;

    @Option(names = "--labels", defaultValue = "shared", paramLabel = "MODE",
            description = "shared, or private for the U-shaped split (the client keeps the last layer and its labels; "
                    + "the middle's output and its gradient cross too, labels do not). Example: --labels private")
    private String labels;

    @Option(names = "--rate", paramLabel = "RATE",
            description = "Each client's link rate, for the time on the wire. Example: --rate 100Mbit/s")
    private String rate;

    @Option(names = "--compute-seconds", paramLabel = "S",
            description = "Seconds of computation per round, added to the time on the wire. Example: --compute-seconds 5")
    private Double computeSeconds;

    @Override
    public Integer call() {
        LinkRate link = rate == null ? null : LinkRate.parse(rate);
        if (computeSeconds != null && !(computeSeconds >= 0 && Double.isFinite(computeSeconds))) {
            throw new InvalidInputException("compute-seconds must be >= 0, got " + computeSeconds);
        }
        List<Codec> codecs = compress.stream().map(Codec::parse).toList();
        SimulationConfig setup = SettingsOptions.config(spec, null);
        int batchSize = setup.batchSize();
        DataSplit data = DatasetCatalog.load(setup.dataset(), setup.dataOptions(), setup.dataDir(), System.getenv());
        Dataset train = setup.limit() > 0 ? data.train().head(setup.limit()) : data.train();
        String modelName = setup.model();
        Architecture architecture = Architecture.create(modelName, train);
        int cut = architecture.checkCut(setup.cut());
        LabelSharing sharing = LabelSharing.parse(labels);
        CostModel plain = CostModel.of(architecture, cut, sharing, setup.localEpochs(), batchSize, Codec.NONE);
        int[][] partition = setup.partitioner().partition(train, setup.clients(), Seeds.derive(setup.seed(), "partition"));
        int[] sizes = new int[partition.length];
        for (int k = 0; k < sizes.length; k++) {
            sizes[k] = partition[k].length;
        }

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s cut %d: |W| = %,d, |W_C| = %,d (beta = %.4f), q = %,d floats per sample at the cut%n",
                modelName, setup.cut(), plain.totalParameters(), plain.clientParameters(),
                (double) plain.clientParameters() / plain.totalParameters(), plain.cutFloats());
        if (sharing == LabelSharing.PRIVATE) {
            out.printf(Locale.ROOT, "labels private (U-shaped): the client also keeps the last stage, |W_H| = %,d, "
                    + "h = %,d floats per sample at its input%n", plain.headParameters(), plain.headFloats());
        }
        out.printf(Locale.ROOT, "%s: %,d training samples over %d clients (%s), %d local epoch(s) per round%n%n",
                setup.dataset(), train.size(), sizes.length, setup.partition(), setup.localEpochs());
        out.printf("%-6s %-11s %16s %16s %16s %16s %8s", "scheme", "codec", "up/client", "down/client", "total/client",
                "all clients", "saving");
        if (link != null) {
            out.printf(" %14s", "wire s/round");
            if (computeSeconds != null) {
                out.printf(" %14s", "total s/round");
            }
        }
        out.println();
        for (Scheme scheme : SCHEMES) {
            for (Codec codec : codecs) {
                CostModel cost = plain.withCodec(codec);
                CostModel.Traffic all = cost.round(scheme, sizes);
                double up = (double) all.up() / sizes.length;
                double down = (double) all.down() / sizes.length;
                double saving = (double) plain.round(scheme, sizes).total() / all.total();
                out.printf(Locale.ROOT, "%-6s %-11s %16s %16s %16s %16s %7.2fx", scheme.id(), codec.spec(),
                        ByteUnits.format(up), ByteUnits.format(down), ByteUnits.format(up + down),
                        ByteUnits.format(all.total()), saving);
                if (link != null) {
                    double wire = wireSeconds(cost, scheme, sizes, link);
                    out.printf(Locale.ROOT, " %14.2f", wire);
                    if (computeSeconds != null) {
                        out.printf(Locale.ROOT, " %14.2f", wire + computeSeconds);
                    }
                }
                out.println();
            }
        }
        out.printf("%nBytes are payload per round: values as the codec encodes them (downloads stay float32), int32%n"
                + "labels; MB = 10^6 bytes. Saving is float32 bytes over the codec's.%n");
        return 0;
    }

    /** Clients of the parallel schemes share no link; in sl they transfer one after another. */
    private static double wireSeconds(CostModel cost, Scheme scheme, int[] sizes, LinkRate link) {
        double sum = 0;
        double max = 0;
        for (int n : sizes) {
            double s = link.seconds(cost.bytesUp(scheme, n) + cost.bytesDown(scheme, n));
            sum += s;
            max = Math.max(max, s);
        }
        return scheme == Scheme.SL ? sum : max;
    }
}
