package spectrace.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secret file: made private from the start, and refused with a one-line reason when unfit. */
class ClusterSecretTest {

  @TempDir Path tmp;

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private String refusal(Path file) {
    return assertThrows(ClusterSecret.BadSecret.class, () -> ClusterSecret.read(file)).getMessage();
  }

  private Path file(String name, String text, String mode) throws Exception {
    Path f = Files.writeString(tmp.resolve(name), text);
    if (posix()) {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    }
    return f;
  }

  @Test
  void aCreatedSecretIsPrivateRandomAndReadsBack() throws Exception {
    Path f = tmp.resolve("secret");
    ClusterSecret s = ClusterSecret.create(f);
    if (posix()) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }
    assertEquals(2 * ClusterSecret.BYTES + 1, Files.size(f), "hexadecimal and a newline");
    assertArrayEquals(s.bytes(), ClusterSecret.read(f).bytes());
    assertTrue(!java.util.Arrays.equals(s.bytes(), ClusterSecret.create(tmp.resolve("other")).bytes()),
        "each secret is fresh");
    assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> ClusterSecret.create(f));
  }

  @Test
  void anUnfitFileIsRefusedWithItsReason() throws Exception {
    String ok = "00112233445566778899aabbccddeeff";
    assertEquals(tmp.resolve("none") + ": no such file", refusal(tmp.resolve("none")));
    assertEquals(tmp + " is a folder, not a file holding the secret", refusal(tmp));
    assertTrue(refusal(file("empty", "\n", "rw-------")).endsWith(" is empty: it must hold the secret in hexadecimal,"
        + " at least 32 digits"));
    assertTrue(refusal(file("short", "0011223344\n", "rw-------")).endsWith(": the secret is too short, 5 bytes; at"
        + " least 16 (32 hexadecimal digits)"));
    assertTrue(refusal(file("odd", ok + "0", "rw-------")).contains("an odd number of hexadecimal digits (33)"));
    assertTrue(refusal(file("text", "correct horse battery staple", "rw-------"))
        .endsWith(": character 2 is not a hexadecimal digit: the file must hold the secret in hexadecimal"));
    assertEquals(16, ClusterSecret.read(file("fine", "  " + ok + "\n", "rw-------")).bytes().length);
  }

  @Test
  void aFileOthersMayReadIsRefusedSayingWho() throws Exception {
    assumeTrue(posix(), "no POSIX permissions on this file system");
    String ok = "00112233445566778899aabbccddeeff";
    Path group = file("group", ok, "rw-r-----");
    assertEquals(group + " is readable by its group (mode rw-r-----): make it readable by its owner only (chmod 600 "
        + group + ")", refusal(group));
    assertTrue(refusal(file("others", ok, "rw----r--")).contains(" is readable by other users (mode rw----r--)"));
    assertTrue(refusal(file("both", ok, "rw-r--r--")).contains(" is readable by its group and by other users"));
    // Writable by others is not a leak: the check is about reading.
    assertEquals(16, ClusterSecret.read(file("owner", ok, "r--------")).bytes().length);
  }

  @Test
  void aFileItsOwnerCannotReadIsRefused() throws Exception {
    assumeTrue(posix(), "no POSIX permissions on this file system");
    Path f = file("unreadable", "00112233445566778899aabbccddeeff", "---------");
    assumeFalse(Files.isReadable(f), "this user (root?) reads every file");
    assertEquals(f + ": cannot be read (permission denied)", refusal(f));
  }
}
