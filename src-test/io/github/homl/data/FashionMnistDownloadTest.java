package io.github.homl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistDownloadTest {
  @TempDir Path root;

  private final Map<String, byte[]> served = new HashMap<>();
  private HttpServer server;
  private String baseUrl;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/mirror/",
        exchange -> {
          byte[] body = served.get(exchange.getRequestURI().getPath());
          exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            if (body != null) {
              out.write(body);
            }
          }
        });
    server.start();
    baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/mirror";
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  /** Serves each file gzipped and returns the SHA-256 table of the decompressed content. */
  private Map<String, String> serve(Map<String, byte[]> files) {
    Map<String, String> sha256 = new HashMap<>();
    files.forEach(
        (name, content) -> {
          served.put("/mirror/" + name + ".gz", IdxFixtures.gzip(content));
          sha256.put(name, IdxFixtures.sha256(content));
        });
    return sha256;
  }

  private SourceChain chain(Map<String, String> sha256) {
    return new SourceChain(
        null, "--data", root.resolve("cache"), root.resolve("system"), baseUrl, sha256, 4);
  }

  private List<String> cacheListing() throws IOException {
    try (Stream<Path> paths = Files.list(root.resolve("cache"))) {
      return paths.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void missingDataIsDownloadedVerifiedAndLoaded() throws IOException {
    Map<String, String> sha256 = serve(IdxFixtures.tinySet());

    FashionMnist data = chain(sha256).load();

    assertEquals(IdxFixtures.TRAIN - 4, data.xTrain().count());
    assertEquals(4, data.xValid().count());
    assertEquals(IdxFixtures.TEST, data.xTest().count());
    assertTrue(data.source().startsWith("a download from " + baseUrl + "/"), data.source());
    assertEquals(
        List.of(
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz",
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz"),
        cacheListing());
  }

  @Test
  void onlyTheFilesMissingFromTheCacheAreDownloaded() throws IOException {
    Map<String, byte[]> files = IdxFixtures.tinySet();
    Map<String, String> sha256 = serve(files);
    served.remove("/mirror/train-labels-idx1-ubyte.gz");
    IdxFixtures.write(
        root.resolve("cache").resolve("train-labels-idx1-ubyte"),
        files.get(FashionMnist.TRAIN_LABELS));

    assertEquals(IdxFixtures.TEST, chain(sha256).load().xTest().count());
    assertEquals(4, cacheListing().size());
  }

  @Test
  void badChecksumLeavesNoFileBehind() throws IOException {
    Map<String, byte[]> files = IdxFixtures.tinySet();
    Map<String, String> sha256 = serve(files);
    byte[] other = files.get(FashionMnist.TRAIN_IMAGES).clone();
    other[100] ^= 1;
    served.put("/mirror/train-images-idx3-ubyte.gz", IdxFixtures.gzip(other));

    DataSourceException e = assertThrows(DataSourceException.class, () -> chain(sha256).load());

    String message = e.getMessage();
    assertTrue(
        message.contains(baseUrl + "/train-images-idx3-ubyte.gz: checksum mismatch"), message);
    assertTrue(message.contains("expected SHA-256 " + sha256.get(FashionMnist.TRAIN_IMAGES)));
    assertTrue(message.contains("got " + IdxFixtures.sha256(other)), message);
    assertEquals(List.of(), cacheListing());
  }

  @Test
  void httpNotFoundIsAClearErrorAndLeavesNoFileBehind() throws IOException {
    DataSourceException e = assertThrows(DataSourceException.class, () -> chain(Map.of()).load());

    String message = e.getMessage();
    assertTrue(message.contains(baseUrl + "/train-images-idx3-ubyte.gz"), message);
    assertTrue(message.contains("HTTP 404"), message);
    assertTrue(message.contains("apt-get install dataset-fashion-mnist"), message);
    assertEquals(List.of(), cacheListing());
  }
}
