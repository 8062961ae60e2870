package dev.splitfed.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitfed.InvalidInputException;
import dev.splitfed.data.Dataset;
import dev.splitfed.registry.Plugins;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelProviderTest {

    @Test
    void listsTheBuiltInModelsInOrder() {
        assertThat(ModelProvider.registry().names()).containsExactly("lenet5", "mlp", "next-word", "resnet18", "torchscript");
        assertThat(Architecture.names()).containsExactly("lenet5", "mlp", "next-word", "resnet18", "torchscript");
    }

    @Test
    void refusesAnUnknownModel() {
        assertThatThrownBy(() -> Architecture.create("resnet50", new int[] {3}, 2))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown model 'resnet50'; expected one of lenet5, mlp, next-word, resnet18, torchscript.");
    }

    @Test
    void nextWordWithSgdStepsFiftyTimesFurtherByDefault() {
        assertThat(ModelProvider.registry().get("next-word").defaultLearningRate("sgd")).isEqualTo(0.5f);
        assertThat(ModelProvider.registry().get("next-word").defaultLearningRate(" SGD ")).isEqualTo(0.5f);
        assertThat(ModelProvider.registry().get("next-word").defaultLearningRate("adam")).isEqualTo(0.01f);
        assertThat(ModelProvider.registry().get("lenet5").defaultLearningRate("sgd")).isEqualTo(0.01f);
        assertThat(ModelProvider.registry().get("mlp").defaultLearningRate("adam")).isEqualTo(0.01f);
    }

    @Test
    void aModelFromAPluginIsCreatedByName() {
        Architecture tiny = Plugins.with("extensions", () -> Architecture.create("tiny-linear", new int[] {5}, 3));

        assertThat(tiny).isInstanceOf(TinyLinear.class);
        assertThat(tiny.inputShape()).containsExactly(5);
        assertThat(tiny.numClasses()).isEqualTo(3);
        assertThat(tiny.checkCut(1)).isEqualTo(1);
        assertThat(Plugins.with("extensions", Architecture::names))
                .containsExactly("lenet5", "mlp", "next-word", "resnet18", "torchscript", "tiny-linear");
        assertThat(Plugins.with("extensions", () -> ModelProvider.registry().get("tiny-linear")
                .defaultLearningRate("sgd"))).isEqualTo(0.2f);
        assertThatThrownBy(() -> Architecture.create("tiny-linear", new int[] {5}, 3))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown model 'tiny-linear'; expected one of lenet5, mlp, next-word, resnet18, torchscript.");
    }

    @Test
    void aModelFromAPluginIsCheckedAgainstTheData() {
        Dataset words = new Dataset("fortunes", new float[4], new int[1], new int[] {4},
                List.of("<pad>", "<unk>", "<s>", "a"), Dataset.Kind.TOKENS, null, List.of());

        assertThatThrownBy(() -> Plugins.with("extensions", () -> Architecture.create("tiny-linear", words)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(
                        "model tiny-linear needs numeric features, but fortunes holds words; use model next-word");
        assertThatThrownBy(() -> Plugins.with("extensions",
                () -> Architecture.create("tiny-linear", new int[] {1, 2}, 3)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("model tiny-linear needs a vector of features as input");
    }
}
