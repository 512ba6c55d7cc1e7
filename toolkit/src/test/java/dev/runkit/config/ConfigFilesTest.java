package dev.runkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config file that is not UTF-8 text is named and described, not decoded into an exception. */
class ConfigFilesTest {

  @TempDir Path tmp;

  @Test
  void read_latin1File_namesTheByteItsOffsetAndLine() throws Exception {
    Path file = tmp.resolve("latin1.yaml");
    byte[] text = "DESCRIPTION: digits\nMODEL: {NAME: MLP}\n# caf".getBytes(StandardCharsets.UTF_8);
    Files.write(file, concat(text, new byte[] {(byte) 0xE9, '\n'}));

    assertThatThrownBy(() -> ConfigFiles.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "config file "
                + file
                + " is not UTF-8 text (byte 0xE9 at offset 44, on line 3); save it as UTF-8");
  }

  @Test
  void read_binaryFile_saysItLooksBinary() throws Exception {
    Path file = tmp.resolve("chart.png");
    // a PNG's signature and the start of its first chunk
    Files.write(
        file, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I'});

    assertThatThrownBy(() -> ConfigFiles.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "config file "
                + file
                + " looks like a binary file (a zero byte at offset 8), not a YAML or JSON config");
  }

  @Test
  void read_utf16File_saysSoAndAsksForUtf8() throws Exception {
    Path file = tmp.resolve("notepad.yaml");
    Files.write(
        file,
        concat(
            new byte[] {(byte) 0xFF, (byte) 0xFE},
            "MODEL: {}".getBytes(StandardCharsets.UTF_16LE)));

    assertThatThrownBy(() -> ConfigFiles.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "config file " + file + " is UTF-16 text, not UTF-8; save it as UTF-8 (YAML or JSON)");
  }

  @Test
  void read_utf8WithByteOrderMark_readsTheMap() throws Exception {
    Path file = tmp.resolve("bom.yaml");
    Files.write(
        file,
        concat(
            new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
            "DESCRIPTION: café\n".getBytes(StandardCharsets.UTF_8)));

    assertThat(ConfigFiles.read(file)).containsEntry("DESCRIPTION", "café");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
