package spectrace.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spectrace.net.TcpNode;
import spectrace.storage.FileStorage;

/**
 * Issue 13, item 2: a node whose storage file holds a damaged record refuses to start, with one
 * line naming the file, the record's offset and what would be lost, and exit 2; it never starts
 * as if the record had never been written (a TM that committed would recover undecided).
 */
class NodeCorruptStorageTest {

  @TempDir Path tmp;

  @Test
  void aNodeWithADamagedRecordInItsStorageRefusesToStart() throws Exception {
    Path data = tmp.resolve("tm");
    FileStorage s = new FileStorage(data);
    s.putString(TcpNode.MARK, "0 0 0,0");
    s.putString("tmState", "committed");
    s.flush();
    s.putString(TcpNode.MARK, "10 1 1,0");
    s.flush();
    Path file = data.resolve(FileStorage.LOG);
    byte[] bytes = Files.readAllBytes(file);
    bytes[4] ^= 0x10; // the high byte of the first record's length: it would run past the end
    Files.write(file, bytes);

    Path secret = tmp.resolve("secret");
    spectrace.net.ClusterSecret.create(secret);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "node", "twophase", "--id", "tm",
        "--peers", "tm=127.0.0.1:7391,rm1=127.0.0.1:7392", "--data", data.toString(),
        "--trace", tmp.resolve("tm.ndjson").toString(), "--secret", secret.toString());

    assertEquals(Main.USAGE, code, err.toString());
    String[] lines = err.toString().strip().split("\n");
    assertEquals(1, lines.length, "one line: " + err);
    String line = lines[0];
    assertTrue(line.startsWith("error: " + file + ": corrupt record at byte 0: "), line);
    assertTrue(line.contains("2 records, " + bytes.length + " bytes from byte 0"), line);
    assertTrue(line.contains("tmState=\"committed\""), "names the decision it would lose: " + line);
    assertTrue(line.contains("refusing to start tm"), line);
    assertEquals("", out.toString(), "the node never said ready");
    assertArrayEquals(bytes, Files.readAllBytes(file), "the file is left as it was");
  }
}
