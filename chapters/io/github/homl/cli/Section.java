package io.github.homl.cli;

import io.github.homl.chapter17.ConditionalGan;
import io.github.homl.chapter17.DcganExperienceReplay;
import io.github.homl.chapter17.DeepConvolutionalGan;
import io.github.homl.chapter17.DenoisingAutoencoder;
import io.github.homl.chapter17.DiffusionModel;
import io.github.homl.chapter17.Exercise10Pretraining;
import io.github.homl.chapter17.GanTrainingDifficulties;
import io.github.homl.chapter17.GenerativeAdversarialNetwork;
import io.github.homl.chapter17.LatentDiffusion;
import io.github.homl.chapter17.ProgressiveGan;
import io.github.homl.chapter17.SparseAutoencoder;
import io.github.homl.chapter17.StackedAutoencoder;
import io.github.homl.chapter17.StyleGan;
import io.github.homl.chapter17.VariationalAutoencoder;
import io.github.homl.config.RunConfig;
import io.github.homl.saving.Pretrained;
import io.github.homl.training.RunReport;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The runnable sections of chapter 17, in the book's order, with the figures each writes: the table
 * of contents the commands ({@code list}, {@code run}, {@code export}, {@code bench}) read. The
 * listings themselves live in {@code chapter17}, each runnable on its own.
 */
public enum Section {
  STACKED(
      "stacked",
      StackedAutoencoder.class,
      StackedAutoencoder::run,
      "Stacked autoencoder 784-100-30-100-784, the baseline (20 epochs)",
      List.of("reconstruction_plot")),
  DENOISING(
      "denoising",
      DenoisingAutoencoder.class,
      DenoisingAutoencoder::run,
      "Denoising autoencoders: Dropout(0.5) and GaussianNoise(0.2) (10 epochs each)",
      List.of("dropout_denoising_plot", "gaussian_denoising_plot")),
  SPARSE(
      "sparse",
      SparseAutoencoder.class,
      SparseAutoencoder::run,
      "Sparse autoencoders: L1 activity penalty and KL divergence to 10% (10 epochs each)",
      List.of(
          "sparsity_loss_plot", "sparse_l1_reconstruction_plot", "sparse_kl_reconstruction_plot")),
  VAE(
      "vae",
      VariationalAutoencoder.class,
      VariationalAutoencoder::run,
      "Variational autoencoder, 10 codings, latent loss / 784 (25 epochs, batch 128)",
      List.of(
          "vae_generated_images_plot",
          "semantic_interpolation_plot",
          "vae_latent_interpolation_plot",
          "vae_vector_arithmetic_plot")),
  GAN(
      "gan",
      GenerativeAdversarialNetwork.class,
      GenerativeAdversarialNetwork::run,
      "Simple GAN: dense generator/discriminator, codings 30, BCE, RMSprop (50 epochs)",
      List.of("gan_generated_images_plot", "gan_losses_plot")),
  GAN_DIFFICULTIES(
      "gan_difficulties",
      GanTrainingDifficulties.class,
      GanTrainingDifficulties::run,
      "Training difficulties: the simple GAN with RMSprop and Nadam, and Nadam with replay,"
          + " minibatch discrimination or minibatch std (10 epochs each, scored every epoch)",
      List.of("gan_difficulties_plot", "gan_difficulties_samples_plot")),
  DCGAN(
      "dcgan",
      DeepConvolutionalGan.class,
      DeepConvolutionalGan::run,
      "DCGAN: transposed convs + BatchNorm, LeakyReLU + Dropout(0.4), data in [-1, 1] (50 epochs)",
      List.of("dcgan_generated_images_plot", "dcgan_losses_plot")),
  DCGAN_REPLAY(
      "dcgan_replay",
      DcganExperienceReplay.class,
      DcganExperienceReplay::run,
      "Exercise 12: DCGAN without and with experience replay, same seed and epochs",
      List.of(
          "dcgan_replay_off_generated_images_plot",
          "dcgan_replay_on_generated_images_plot",
          "dcgan_replay_losses_plot")),
  CGAN(
      "cgan",
      ConditionalGan.class,
      ConditionalGan::run,
      "Exercise 12: conditional DCGAN, one-hot label into both networks (50 epochs)",
      List.of("cgan_generated_images_plot", "cgan_losses_plot")),
  PROGAN(
      "progan",
      ProgressiveGan.class,
      ProgressiveGan::run,
      "Progressive GAN 7x7 -> 14x14 -> 28x28 with fade-in, equalized LR, pixel norm, "
          + "minibatch std (20 epochs)",
      List.of("progan_generated_images_plot", "progan_growth_plot")),
  STYLEGAN(
      "stylegan",
      StyleGan.class,
      StyleGan::run,
      "StyleGAN-style generator: mapping network, learned constant, AdaIN, noise, "
          + "style mixing, grown as ProGAN (20 epochs)",
      List.of(
          "stylegan_generated_images_plot", "stylegan_growth_plot", "stylegan_style_mixing_plot")),
  EXERCISE10(
      "exercise10",
      Exercise10Pretraining.class,
      Exercise10Pretraining::run,
      "Exercise 10: denoising-AE pretraining vs from scratch, classifier on 500 labels (3 seeds)",
      List.of("exercise10_denoising_plot", "exercise10_coding_neurons_plot")),
  DIFFUSION(
      "diffusion",
      DiffusionModel.class,
      DiffusionModel::run,
      "Diffusion model (DDPM, T = 4000): U-Net, Huber, Nadam (100 epochs); host-loop, in-graph "
          + "and DDIM-50 sampling",
      List.of(
          "variance_schedule_plot",
          "ddpm_generated_images_plot",
          "ddim_generated_images_plot",
          "diffusion_processes_plot")),
  LATENT_DIFFUSION(
      "latent_diffusion",
      LatentDiffusion.class,
      LatentDiffusion::run,
      "Latent diffusion: autoencoder to 7x7x4, DDPM on the latents with text prompts "
          + "(cross-attention, classifier-free guidance), inpainting and outpainting",
      List.of(
          "latent_ae_reconstruction_plot",
          "latent_diffusion_prompts_plot",
          "latent_guidance_sweep_plot",
          "latent_inpainting_plot",
          "latent_outpainting_plot"));

  /** Runs every section of the chapter in the book's order, with the same options as each. */
  public static void main(String[] args) {
    RunConfig config = RunConfig.fromArgs(args);
    for (Section section : values()) {
      System.out.println("== " + section.sectionClass().getSimpleName());
      System.out.print(section.run(config).summary());
    }
  }

  private final String id;
  private final Class<?> sectionClass;
  private final Function<RunConfig, RunReport> runner;
  private final String description;
  private final List<String> figureIds;

  Section(
      String id,
      Class<?> sectionClass,
      Function<RunConfig, RunReport> runner,
      String description,
      List<String> figureIds) {
    this.id = id;
    this.sectionClass = sectionClass;
    this.runner = runner;
    this.description = description;
    this.figureIds = figureIds;
  }

  /** The short name used on the command line ({@code run vae}). */
  public String id() {
    return id;
  }

  public Class<?> sectionClass() {
    return sectionClass;
  }

  public String description() {
    return description;
  }

  /**
   * The inference models the section hands to {@code export}, by name ({@code export --model}); the
   * first is the default.
   */
  public List<String> models() {
    return switch (this) {
      case STACKED -> List.of("stacked_ae");
      case DENOISING -> List.of("dropout_ae", "gaussian_ae");
      case SPARSE -> List.of("sparse_l1_ae", "sparse_kl_ae");
      case VAE -> List.of("variational_ae");
      case GAN -> List.of("gan_generator");
      case GAN_DIFFICULTIES -> List.of();
      case DCGAN -> List.of("dcgan_generator");
      case DCGAN_REPLAY -> List.of("dcgan_replay_off_generator", "dcgan_replay_on_generator");
      case CGAN -> List.of("cgan_generator");
      case PROGAN -> List.of("progan_generator");
      case STYLEGAN -> List.of("stylegan_generator");
      case EXERCISE10 ->
          List.of(
              "exercise10_denoising_ae",
              "exercise10_from_scratch",
              "exercise10_fine_tuned",
              "exercise10_frozen");
      case DIFFUSION -> List.of(DiffusionModel.MODEL_NAME);
      case LATENT_DIFFUSION -> List.of(LatentDiffusion.MODEL_NAME);
    };
  }

  public List<String> figureIds() {
    return figureIds;
  }

  /**
   * Runs the section's listing with {@code config}, then writes each model's loss curves and
   * history as {@code <model>_history.png} and {@code .csv} beside the figures.
   */
  public RunReport run(RunConfig config) {
    RunReport report = runner.apply(config);
    report
        .histories()
        .forEach((model, history) -> history.saveLossPlot(config.outDir(), model + "_history"));
    return report;
  }

  /**
   * Whether the section's models are committed under {@code savedmodels/pretrained/<id>/} (looked
   * up from the working directory, the project's root), so {@code run <id> --pretrained} can draw
   * its figures without training.
   */
  public boolean hasPretrained() {
    return Files.isDirectory(Pretrained.ROOT.resolve(id));
  }

  /** The sections that have a pretrained model, in the book's order. */
  public static List<Section> withPretrained() {
    return Arrays.stream(values()).filter(Section::hasPretrained).toList();
  }

  /** The section called {@code id}, or an error listing the valid names. */
  public static Section byId(String id) {
    for (Section section : values()) {
      if (section.id.equals(id)) {
        return section;
      }
    }
    throw new IllegalArgumentException(
        "unknown section '"
            + id
            + "'; expected one of "
            + Arrays.stream(values()).map(Section::id).toList());
  }
}
