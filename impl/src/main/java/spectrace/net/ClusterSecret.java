package spectrace.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The secret a cluster's nodes and its driver share: the root of every key {@link PeerAuth}
 * derives. Whoever holds it is inside the cluster; whoever does not cannot take part.
 *
 * <p>It lives in a file of its own, as hexadecimal text ({@value #BYTES} random bytes from
 * {@link SecureRandom} when {@link #create} makes it; at least {@value #MIN_BYTES} bytes are
 * accepted, whitespace around them is ignored), so that it never appears on a command line,
 * where {@code ps} would show it to every user of the machine. The file must be readable by
 * its owner only: {@link #read} refuses a file that its group or other users may read (where
 * the file system has POSIX permissions), and {@link #create} makes it with mode 0600 from the
 * start, never readable by anyone else even for a moment. A secret made by hand:
 * {@code (umask 077; openssl rand -hex 32 > secret)}.
 */
public final class ClusterSecret {

  /** Bytes of a secret that {@link #create} makes: 256 bits. */
  public static final int BYTES = 32;
  /** The fewest bytes {@link #read} accepts: 128 bits. */
  public static final int MIN_BYTES = 16;

  private final byte[] bytes;

  private ClusterSecret(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  /** A fresh random secret, not written anywhere. */
  public static ClusterSecret random() {
    byte[] b = new byte[BYTES];
    new SecureRandom().nextBytes(b);
    return new ClusterSecret(b);
  }

  /**
   * Makes a fresh random secret and writes it to {@code file}, which must not exist yet: mode
   * 0600 where the file system has POSIX permissions.
   */
  public static ClusterSecret create(Path file) throws IOException {
    ClusterSecret s = random();
    s.writeTo(file);
    return s;
  }

  /**
   * Reads the secret in {@code file}.
   *
   * @throws BadSecret saying what is wrong, in one line: no such file, a folder, a file that
   *     cannot be read, one that its group or others may read, an empty file, one that is not
   *     hexadecimal, a secret shorter than {@value #MIN_BYTES} bytes
   */
  public static ClusterSecret read(Path file) throws BadSecret {
    if (!Files.exists(file)) {
      throw new BadSecret(file + ": no such file");
    }
    if (Files.isDirectory(file)) {
      throw new BadSecret(file + " is a folder, not a file holding the secret");
    }
    if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
      Set<PosixFilePermission> p;
      try {
        p = Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class).permissions();
      } catch (IOException e) {
        throw new BadSecret(file + ": cannot read its permissions (" + e.getMessage() + ")");
      }
      boolean group = p.contains(PosixFilePermission.GROUP_READ);
      boolean others = p.contains(PosixFilePermission.OTHERS_READ);
      if (group || others) {
        throw new BadSecret(file + " is readable by " + (group && others ? "its group and by other users"
            : group ? "its group" : "other users") + " (mode " + PosixFilePermissions.toString(p)
            + "): make it readable by its owner only (chmod 600 " + file + ")");
      }
    }
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (AccessDeniedException e) {
      throw new BadSecret(file + ": cannot be read (permission denied)");
    } catch (NoSuchFileException e) {
      throw new BadSecret(file + ": no such file");
    } catch (IOException e) {
      throw new BadSecret(file + ": cannot be read (" + e.getMessage() + ")");
    }
    String text = new String(raw, StandardCharsets.US_ASCII).strip();
    if (text.isEmpty()) {
      throw new BadSecret(file + " is empty: it must hold the secret in hexadecimal, at least " + 2 * MIN_BYTES
          + " digits");
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        throw new BadSecret(file + ": character " + (i + 1) + " is not a hexadecimal digit: the file must hold the"
            + " secret in hexadecimal");
      }
    }
    if (text.length() % 2 != 0) {
      throw new BadSecret(file + " holds an odd number of hexadecimal digits (" + text.length() + "): a secret is"
          + " whole bytes");
    }
    if (text.length() < 2 * MIN_BYTES) {
      throw new BadSecret(file + ": the secret is too short, " + text.length() / 2 + " bytes; at least " + MIN_BYTES
          + " (" + 2 * MIN_BYTES + " hexadecimal digits)");
    }
    return new ClusterSecret(HexFormat.of().parseHex(text));
  }

  /** The secret's bytes (a copy). */
  byte[] bytes() {
    return bytes.clone();
  }

  /**
   * A key for {@code purpose} alone, derived from the secret (HMAC-SHA256 of the purpose under
   * it): what a protocol's nodes share without holding the secret the links use.
   */
  public byte[] derive(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(bytes, "HmacSHA256"));
      return mac.doFinal(("spectrace derive " + purpose).getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no HmacSHA256: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the secret to {@code file}, which must not exist yet: created with mode 0600 where
   * the file system has POSIX permissions (so it is never readable by others, even for a
   * moment), else made readable and writable by its owner only.
   */
  private void writeTo(Path file) throws IOException {
    byte[] text = (HexFormat.of().formatHex(bytes) + "\n").getBytes(StandardCharsets.US_ASCII);
    Path parent = file.toAbsolutePath().getParent();
    if (Files.getFileAttributeView(parent, PosixFileAttributeView.class) != null) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE)));
    } else {
      Files.createFile(file);
      java.io.File f = file.toFile();
      f.setReadable(false, false);
      f.setReadable(true, true);
      f.setWritable(false, false);
      f.setWritable(true, true);
    }
    Files.write(file, text);
  }

  @Override
  public String toString() {
    return "ClusterSecret[" + bytes.length + " bytes]"; // never the bytes
  }

  /** A secret file that cannot be used, with the reason in one line. */
  public static final class BadSecret extends Exception {
    public BadSecret(String message) {
      super(message);
    }
  }
}
