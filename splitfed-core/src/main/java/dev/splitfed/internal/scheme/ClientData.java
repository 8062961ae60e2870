package dev.splitfed.internal.scheme;

import dev.splitfed.scheme.SimulationConfig;
import dev.splitfed.InvalidInputException;
import dev.splitfed.data.DataSchema;
import dev.splitfed.data.DataSplit;
import dev.splitfed.data.Dataset;
import dev.splitfed.data.DatasetCatalog;
import dev.splitfed.internal.data.Fortunes;
import dev.splitfed.internal.data.Vocabulary;
import java.nio.file.Path;
import java.util.Map;

/**
 * The samples a deployed client trains on, loaded in its own process: its part of the run's data
 * set, or a data set of its own (a hospital's own records). The rest of the data set is not kept.
 */
public final class ClientData {

    private ClientData() {}

    /**
     * Returns a client's data: every training sample in {@code ownDir}, or else part {@code index}
     * of the run's data set as the run partitions it (the same samples an in-process run gives
     * client {@code index}); the rest of the data set is not kept. With {@code --personal-holdout}
     * the samples the client holds out are left out too, as the simulation leaves them out of training.
     *
     * @param cfg the run's settings, with this client's overrides
     * @param index the part of the partition
     * @param ownDir the client's own data directory, or null
     * @param vocabulary with {@code ownDir} and a data set of words, the run's vocabulary file; else null
     * @return the client's samples
     * @throws InvalidInputException if the index is out of range or the vocabulary is missing or misplaced
     */
    public static Dataset load(SimulationConfig cfg, int index, Path ownDir, Path vocabulary) {
        boolean words = cfg.dataset().equals(Fortunes.NAME);
        if (vocabulary != null && (ownDir == null || !words)) {
            throw new InvalidInputException("{vocabulary} applies only with {data-dir} to a run on words (fortunes)");
        }
        if (ownDir != null) {
            if (words && vocabulary == null) {
                throw new InvalidInputException("this client's own text must be read with the run's vocabulary, so that "
                        + "word indices mean the same to every client: pass {vocabulary} with the server's OUT/"
                        + Vocabulary.FILE);
            }
            // A phone's own text is all for training: the run's test text is the server's.
            Dataset own = words ? Fortunes.loadAll(ownDir, Vocabulary.readFile(vocabulary))
                    : DatasetCatalog.load(cfg.dataset(), ownDir, Map.of()).train();
            return cfg.personalHoldout() > 0 ? own.select(ClientShares.ofOwn(cfg, own.size(), index)) : own;
        }
        if (index < 0 || index >= cfg.clients()) {
            throw new InvalidInputException("client-index must be in 0 to " + (cfg.clients() - 1) + ", got " + index);
        }
        DataSplit data = DatasetCatalog.load(cfg.dataset(), cfg.dataOptions(), null, System.getenv());
        ClientShares shares = ClientShares.of(cfg, data.train());
        return shares.train().select(shares.training()[index]);
    }

    /**
     * Returns a deployed client's own files, read as the run reads its data set: with the schema
     * the server sent (a hospital's own table, image folder or LEAF file).
     *
     * @param cfg the run's settings
     * @param index this client's index, for a personal hold-out
     * @param own the client's own file or directory
     * @param schema the run's data schema
     * @return the client's training samples
     * @throws InvalidInputException if the files cannot be read or do not match the schema
     */
    public static Dataset loadOwn(SimulationConfig cfg, int index, Path own, DataSchema schema) {
        Dataset data = DatasetCatalog.loadOwn(cfg.dataset(), cfg.dataOptions(), own, schema);
        return cfg.personalHoldout() > 0 ? data.select(ClientShares.ofOwn(cfg, data.size(), index)) : data;
    }

    /**
     * Checks that a client's words have the run's indices: a client that read other fortune files,
     * or another run's vocabulary, would train on words that mean something else to the server,
     * with weights of the same shape, and nothing else would notice.
     *
     * @param own the client's samples
     * @param runDigest the server's {@link Vocabulary#digest()}, or null for a run on other data
     * @throws InvalidInputException if the vocabularies differ
     */
    public static void checkVocabulary(Dataset own, String runDigest) {
        if (own.kind() != Dataset.Kind.TOKENS || runDigest == null) {
            return;
        }
        if (!Vocabulary.of(own.classNames()).digest().equals(runDigest)) {
            throw new InvalidInputException("this client's vocabulary is not the run's, so its word indices would mean "
                    + "other words to the server: give it the server's OUT/" + Vocabulary.FILE + " with {vocabulary} "
                    + "(and {data-dir}), or the same fortune files the server read");
        }
    }
}
