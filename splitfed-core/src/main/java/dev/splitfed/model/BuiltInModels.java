package dev.splitfed.model;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.Dataset;
import dev.splitfed.registry.Registry;
import java.util.List;

/** The models splitfed provides, first in the registry of models. */
final class BuiltInModels {

    static final Registry<ModelProvider> REGISTRY = Registry.of("model", ModelProvider.class,
            List.of(new LeNet5Provider(), new MlpProvider(), new NextWordProvider(), new ResNet18Provider(),
                    new TorchScriptProvider()));

    private BuiltInModels() {}

    /** LeNet-5, for images. */
    private static final class LeNet5Provider implements ModelProvider {

        @Override
        public String name() {
            return LeNet5.NAME;
        }

        @Override
        public Architecture create(int[] inputShape, int numClasses) {
            if (inputShape.length != 3) {
                throw new InvalidInputException(
                        "model lenet5 needs image data (channels x height x width); use {model} mlp for tabular data");
            }
            return new LeNet5(inputShape, numClasses);
        }
    }

    /** The multilayer perceptron, for a sample of any shape, read as one vector. */
    private static final class MlpProvider implements ModelProvider {

        @Override
        public String name() {
            return Mlp.NAME;
        }

        @Override
        public Architecture create(int[] inputShape, int numClasses) {
            int features = 1;
            for (int d : inputShape) {
                features *= d;
            }
            return new Mlp(inputShape, features, numClasses);
        }
    }

    /** The next-word LSTM, for windows of word indices. */
    private static final class NextWordProvider implements ModelProvider {

        @Override
        public String name() {
            return NextWord.NAME;
        }

        @Override
        public Dataset.Kind reads() {
            return Dataset.Kind.TOKENS;
        }

        @Override
        public Architecture create(int[] inputShape, int numClasses) {
            if (inputShape.length != 1) {
                throw new InvalidInputException("model next-word needs a window of word indices as input");
            }
            return new NextWord(inputShape, numClasses);
        }

        /**
         * Returns 0.5 for SGD: an LSTM trained with SGD needs a step about fifty times larger than
         * 0.01 to move its embedding and softmax rows, of which a batch touches only a few
         * (measured on fortunes, one central pass over 60,000 samples: test perplexity 443 at 0.5
         * against 706 at 0.01).
         */
        @Override
        public float defaultLearningRate(String optimizer) {
            return optimizer.strip().equalsIgnoreCase("sgd") ? 0.5f : 0.01f;
        }
    }

    /** ResNet-18, for images. */
    private static final class ResNet18Provider implements ModelProvider {

        @Override
        public String name() {
            return ResNet18.NAME;
        }

        @Override
        public Architecture create(int[] inputShape, int numClasses) {
            if (inputShape.length != 3) {
                throw new InvalidInputException(
                        "model resnet18 needs image data (channels x height x width); use {model} mlp for tabular data");
            }
            return new ResNet18(inputShape, numClasses);
        }
    }

    /** A PyTorch model exported as TorchScript stages: {@code torchscript:DIR}. */
    private static final class TorchScriptProvider implements ModelProvider {

        @Override
        public String name() {
            return TorchScriptModel.NAME;
        }

        @Override
        public Architecture create(int[] inputShape, int numClasses) {
            return create(null, inputShape, numClasses);
        }

        @Override
        public Architecture create(String argument, int[] inputShape, int numClasses) {
            if (argument == null || argument.isBlank()) {
                throw new InvalidInputException("model torchscript needs the directory of its stages: "
                        + "{model} torchscript:DIR, DIR holding stage0.pt, stage1.pt, ...");
            }
            return TorchScriptModel.load(java.nio.file.Path.of(argument), inputShape, numClasses);
        }
    }
}
