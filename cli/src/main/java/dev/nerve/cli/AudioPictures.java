package dev.nerve.cli;

import dev.nerve.audio.AudioFeatures;
import dev.nerve.data.Dataset;
import dev.nerve.report.Picture;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The spectrograms a report of an audio model shows: the first training example of each of the
 * first {@value #MAX} classes, in class order, as mel bands (upwards) × frames, in decibels as
 * extracted, before the model's normalisation.
 */
final class AudioPictures {
  private AudioPictures() {}

  /** At most this many pictures. */
  static final int MAX = 10;

  /**
   * The pictures for a run whose metadata holds audio features, else none.
   *
   * @param train the training examples as read (not normalised)
   */
  static List<Picture> of(Dataset train, Map<String, Object> meta) {
    Object json = meta.get(AudioFeatures.METADATA_KEY);
    if (json == null || train == null || train.size() == 0) {
      return List.of();
    }
    AudioFeatures f = AudioFeatures.fromJson(json);
    boolean framesFirst = TrainingData.FRAMES_FIRST.equals(meta.get(TrainingData.AUDIO_LAYOUT));
    int bands = f.bands();
    int frames = f.frames();
    if (train.inputShape().size() != bands * frames) {
      return List.of();
    }
    Object c = meta.get("classes");
    List<?> classes = c instanceof List<?> l ? l : List.of();
    int[] labels = train.y().argmaxRows();
    Tensor x = train.x();
    int per = bands * frames;
    Picture[] byLabel = new Picture[Math.min(MAX, train.targetShape().size())];
    for (int i = 0; i < train.size(); i++) {
      int label = labels[i];
      if (label < 0 || label >= byLabel.length || byLabel[label] != null) {
        continue;
      }
      float[] v = new float[per];
      float[] d = x.data();
      for (int b = 0; b < bands; b++) {
        for (int t = 0; t < frames; t++) {
          v[b * frames + t] = d[i * per + (framesFirst ? t * bands + b : b * frames + t)];
        }
      }
      String name = label < classes.size() ? String.valueOf(classes.get(label)) : "class " + label;
      byLabel[label] = new Picture(name + " (training example " + i + ")", bands, frames, v);
    }
    List<Picture> out = new ArrayList<>();
    for (Picture p : byLabel) {
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }
}
