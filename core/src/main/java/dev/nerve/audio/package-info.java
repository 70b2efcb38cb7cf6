/**
 * Sound as network input: {@link dev.nerve.audio.Wav} reads WAV files strictly (PCM 8 to 32 bits,
 * float 32 and 64, WAVE_FORMAT_EXTENSIBLE; every size checked before allocating) and writes 16-bit
 * PCM; {@link dev.nerve.audio.Resampler} changes the sample rate by windowed-sinc interpolation;
 * {@link dev.nerve.audio.Spectrogram} frames, windows and transforms a signal into its power
 * spectrogram; {@link dev.nerve.audio.Mel} has the mel filterbank, decibels and MFCCs; {@link
 * dev.nerve.audio.AudioFeatures} chains them under one record of settings that a model file keeps;
 * {@link dev.nerve.audio.SpokenDigits} makes a spoken-digit dataset on this machine with eSpeak NG
 * (split by speaker) and reads it back as features.
 *
 * <p>Each formula is torchaudio's ({@code resample} with {@code sinc_interp_hann}, {@code
 * Spectrogram}, {@code melscale_fbanks} with the HTK scale, {@code AmplitudeToDB}, {@code
 * create_dct}), written out here and checked against a numpy implementation of the same formulas,
 * so features computed in Java match what a Python pipeline would give.
 *
 * <pre>{@code
 * Wav wav = Wav.read(Path.of("seven.wav"));                      // any rate, any channels
 * Tensor x = AudioFeatures.defaults().extract(wav);              // [40 mel bands, 101 frames]
 * }</pre>
 */
package dev.nerve.audio;
