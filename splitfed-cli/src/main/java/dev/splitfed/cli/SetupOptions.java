package dev.splitfed.cli;

import dev.splitfed.data.DatasetCatalog;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What is trained and how the data is divided: shared by simulate, compare and cost. */
final class SetupOptions {

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME",
            description = "fashion-mnist, fashion-mnist-sample, breast-cancer or fortunes (next-word prediction). "
                    + "Example: --dataset fortunes")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding the Fashion-MNIST IDX files (default: $SPLITFED_DATA, "
                    + "/usr/share/datasets/fashion-mnist, the user cache, else the bundled sample), or for fortunes "
                    + "the fortune files, one per client (default: /usr/share/games/fortunes). "
                    + "Example: --data-dir ~/data/fmnist")
    Path dataDir;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Use only the first N training samples; 0 for all. Example: --limit 6000")
    int limit;

    @Option(names = "--model", paramLabel = "NAME",
            description = "lenet5, mlp or next-word (default: lenet5 for images, mlp for breast-cancer, next-word for "
                    + "fortunes). Example: --model mlp")
    String model;

    @Option(names = "--cut", defaultValue = "1", paramLabel = "N",
            description = "Cut after stage N of the model (lenet5: 1-4, mlp: 1-2, next-word: 1 after the embedding, "
                    + "2 after the LSTM). Example: --cut 2")
    int cut;

    @Option(names = "--clients", defaultValue = "5", paramLabel = "K",
            description = "Number of clients. Example: --clients 100")
    int clients;

    @Option(names = "--partition", paramLabel = "SPEC",
            description = "iid, dirichlet:ALPHA, shards:N or natural (one client per fortune file; default for fortunes, "
                    + "else iid). Example: --partition dirichlet:0.1")
    String partition;

    @Option(names = "--local-epochs", defaultValue = "1", paramLabel = "E",
            description = "Passes over its data each client makes per round. Example: --local-epochs 5")
    int localEpochs;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seeds the partition, initial weights, selection and batch order. Example: --seed 7")
    long seed;

    /** Returns {@code --partition}, or the data set's own partition when it is not given. */
    String partition() {
        return partition != null ? partition : DatasetCatalog.naturalPartition(dataset);
    }
}
