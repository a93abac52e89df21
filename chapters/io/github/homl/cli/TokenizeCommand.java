package io.github.homl.cli;

import io.github.homl.stablediffusion.ClipTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenize --prompt TEXT}: the 77 ids KerasCV's Stable Diffusion feeds its text encoder for
 * {@code TEXT} (CLIP's byte-pair tokenizer, {@link ClipTokenizer}), on one line separated by
 * spaces. The vocabulary is the one of an export ({@code --model DIR}) or the one {@code
 * savedmodels/keras/fetch_clip_vocab.sh} fetched.
 */
@Command(
    name = "tokenize",
    description = "Print the 77 CLIP token ids of a Stable Diffusion prompt, as KerasCV pads them.")
final class TokenizeCommand implements Callable<Integer> {

  @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "the prompt")
  String prompt;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "a Stable Diffusion export whose vocabulary to use")
  Path model;

  @Option(
      names = "--vocab",
      paramLabel = "FILE",
      defaultValue = "savedmodels/keras/.cache/" + ClipTokenizer.VOCAB_FILE,
      description = "CLIP's vocabulary, without --model (default: ${DEFAULT-VALUE})")
  Path vocab;

  @Override
  public Integer call() {
    Path file = model != null ? model.resolve(ClipTokenizer.VOCAB_FILE) : vocab;
    int[] ids = ClipTokenizer.load(file).tokens(prompt);
    System.out.println(
        Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
    return 0;
  }
}
