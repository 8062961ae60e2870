package dev.splitfed.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What is trained and how the data is divided: shared by simulate, compare and cost. */
final class SetupOptions {

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME",
            description = "fashion-mnist, fashion-mnist-sample or breast-cancer. Example: --dataset breast-cancer")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding the Fashion-MNIST IDX files (default: $SPLITFED_DATA, "
                    + "/usr/share/datasets/fashion-mnist, the user cache, else the bundled sample). "
                    + "Example: --data-dir ~/data/fmnist")
    Path dataDir;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Use only the first N training samples; 0 for all. Example: --limit 6000")
    int limit;

    @Option(names = "--model", paramLabel = "NAME",
            description = "lenet5 or mlp (default: lenet5 for images, mlp for breast-cancer). Example: --model mlp")
    String model;

    @Option(names = "--cut", defaultValue = "1", paramLabel = "N",
            description = "Cut after stage N of the model (lenet5: 1-4, mlp: 1-2). Example: --cut 2")
    int cut;

    @Option(names = "--clients", defaultValue = "5", paramLabel = "K",
            description = "Number of clients. Example: --clients 100")
    int clients;

    @Option(names = "--partition", defaultValue = "iid", paramLabel = "SPEC",
            description = "iid, dirichlet:ALPHA or shards:N. Example: --partition dirichlet:0.1")
    String partition;

    @Option(names = "--local-epochs", defaultValue = "1", paramLabel = "E",
            description = "Passes over its data each client makes per round. Example: --local-epochs 5")
    int localEpochs;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seeds the partition, initial weights, selection and batch order. Example: --seed 7")
    long seed;
}
