package dev.nerve.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nerve.io.Json;
import dev.nerve.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The settings record: ranges, JSON, shapes, durations and rates. */
class AudioFeaturesTest {
  private static String refusal(Supplier<?> make) {
    return assertThrows(IllegalArgumentException.class, make::get).getMessage();
  }

  @Test
  void defaultsGiveFortyBandsByAHundredAndOneFrames() {
    AudioFeatures f = AudioFeatures.defaults();
    assertEquals(40, f.bands());
    assertEquals(16000, f.samples());
    assertEquals(101, f.frames());
    Tensor x = f.extract(new float[8000], 16000); // half a second, padded to one
    assertArrayEquals(new int[] {40, 101}, x.shape().dims());
    for (float v : x.data()) {
      assertEquals(-100f, v, "silence is the floor, -100 dB");
    }
    AudioFeatures m = f.withMfcc(13).withSeconds(1.5);
    assertArrayEquals(new int[] {13, 151}, m.extract(new float[30000], 16000).shape().dims());
    assertArrayEquals(
        new int[] {151, 13}, m.extractFramesFirst(new float[1], 16000).shape().dims());
    // seconds 0 keeps each length.
    AudioFeatures free = f.withSeconds(0);
    assertEquals(0, free.frames());
    assertArrayEquals(new int[] {40, 51}, free.extract(new float[8000], 16000).shape().dims());
  }

  @Test
  void cutsAtTheEndPadsWithZerosAndResamples() {
    AudioFeatures f = AudioFeatures.defaults().withSeconds(0.5);
    float[] x = new float[16000];
    Arrays.fill(x, 8000, 16000, 0.5f); // silence, then a constant
    Tensor cut = f.extract(x, 16000);
    Tensor firstHalf = f.extract(Arrays.copyOf(x, 8000), 16000);
    assertArrayEquals(firstHalf.data(), cut.data(), "only the first half second is kept");
    // Stereo at 22.05 kHz: mixed down, then resampled to 16 kHz.
    float[] stereo = new float[2 * 11025];
    for (int i = 0; i < 11025; i++) {
      stereo[2 * i] = (float) Math.sin(2 * Math.PI * 440 * i / 22050.0);
      stereo[2 * i + 1] = stereo[2 * i];
    }
    Wav w = new Wav(22050, 2, stereo);
    Tensor viaWav = f.extract(w);
    Tensor direct = f.extract(Resampler.resample(w.mono(), 22050, 16000), 16000);
    assertArrayEquals(direct.data(), viaWav.data());
    assertArrayEquals(new int[] {40, 51}, viaWav.shape().dims());
  }

  @Test
  void everySettingIsRangeChecked() {
    AudioFeatures d = AudioFeatures.defaults();
    assertEquals(
        "sample_rate must be from 1 to 1000000, got 0", refusal(() -> d.withSampleRate(0)));
    assertEquals("n_fft must be from 2 to 65536, got 1", refusal(() -> d.withFrames(1, 160, 1)));
    assertEquals(
        "hop_length must be from 1 to 65536, got 0", refusal(() -> d.withFrames(512, 0, 400)));
    assertEquals(
        "win_length must be from 1 to 512, got 600", refusal(() -> d.withFrames(512, 160, 600)));
    assertEquals("n_mels must be from 1 to 1024, got 0", refusal(() -> d.withMels(0, 0, 8000)));
    assertEquals(
        "f_max must be above 0 and at most sample_rate / 2 (8000.0 Hz), got 9000.0",
        refusal(() -> d.withMels(40, 0, 9000)));
    assertEquals(
        "f_min must be from 0 to below f_max (8000.0 Hz), got 8000.0",
        refusal(() -> d.withMels(40, 8000, 8000)));
    assertEquals(
        "f_min must be from 0 to below f_max (8000.0 Hz), got -1.0",
        refusal(() -> d.withMels(40, -1, 8000)));
    assertEquals("n_mfcc must be from 1 to 40, got 41", refusal(() -> d.withMfcc(41)));
    assertEquals("n_mfcc must be from 1 to 40, got 0", refusal(() -> d.withMfcc(0)));
    assertEquals(
        "seconds must be from 0 to 3600 (0: keep each length), got -1.0",
        refusal(() -> d.withSeconds(-1)));
    assertEquals(
        "seconds must be from 0 to 3600 (0: keep each length), got NaN",
        refusal(() -> d.withSeconds(Double.NaN)));
    assertEquals(
        "seconds must give 1 to 1073741824 samples at 16000 Hz, got 1.0E-5 (0 samples)",
        refusal(() -> d.withSeconds(1e-5)));
    assertEquals(
        "n_mels 128 is too many for n_fft 256 at 16000 Hz from f_min 0.0 to f_max 8000.0: mel"
            + " band 0 covers no frequency bin (use fewer mel bands, a larger n_fft or a wider"
            + " range)",
        refusal(() -> d.withFrames(256, 160, 256).withMels(128, 0, 8000)));
    assertThrows(IllegalArgumentException.class, () -> d.extract(new float[1], 0));
  }

  @Test
  void roundTripsThroughJson() {
    AudioFeatures f =
        AudioFeatures.defaults()
            .withSampleRate(8000)
            .withFrames(256, 80, 200)
            .withMels(32, 20, 3800)
            .withMfcc(12)
            .withSeconds(0.75);
    Map<String, Object> json = f.toJson();
    assertEquals(
        "{\"sample_rate\": 8000, \"n_fft\": 256, \"hop_length\": 80, \"win_length\": 200,"
            + " \"n_mels\": 32, \"f_min\": 20.0, \"f_max\": 3800.0, \"kind\": \"mfcc\","
            + " \"n_mfcc\": 12, \"seconds\": 0.75}",
        Json.writeLine(json));
    assertEquals(f, AudioFeatures.fromJson(Json.parse(Json.write(json), "test")));
    assertEquals(AudioFeatures.defaults(), AudioFeatures.fromJson(Map.of()));
    assertEquals(
        AudioFeatures.defaults().withSampleRate(22050).withMfcc(13),
        AudioFeatures.fromJson(Json.parse("{\"sample_rate\": 22050, \"kind\": \"mfcc\"}", "t")));
  }

  @Test
  void fromJsonNamesTheBadKey() {
    assertEquals(
        "audio_features: unknown key 'n_mel' (known: sample_rate, n_fft, hop_length, win_length,"
            + " n_mels, f_min, f_max, kind, n_mfcc, seconds)",
        refusal(() -> AudioFeatures.fromJson(Map.of("n_mel", 40))));
    assertEquals(
        "audio_features.n_fft: expected a whole number, got 512.5",
        refusal(() -> AudioFeatures.fromJson(Map.of("n_fft", 512.5))));
    assertEquals(
        "audio_features.n_fft must be from 2 to 65536, got 0",
        refusal(() -> AudioFeatures.fromJson(Map.of("n_fft", 0))));
    assertEquals(
        "audio_features.kind must be log_mel or mfcc, got mel",
        refusal(() -> AudioFeatures.fromJson(Map.of("kind", "mel"))));
    assertEquals(
        "audio_features.kind: expected \"log_mel\" or \"mfcc\", got 3",
        refusal(() -> AudioFeatures.fromJson(Map.of("kind", 3))));
    assertEquals(
        "audio_features.f_min: expected a number, got low",
        refusal(() -> AudioFeatures.fromJson(Map.of("f_min", "low"))));
    assertEquals(
        "audio_features: expected an object, got []",
        refusal(() -> AudioFeatures.fromJson(java.util.List.of())));
  }
}
