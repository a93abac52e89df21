package io.github.homl.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Downloads the gzipped IDX files into a directory, one verified file at a time.
 *
 * <p>Each file streams into a temporary {@code .part} file in the target directory, its
 * decompressed SHA-256 is checked, and only then is it renamed atomically to {@code NAME.gz}. On
 * any failure the temporary file is deleted, so the directory never holds a half or bad file.
 */
final class Downloader {
  private static final int CONNECT_TIMEOUT_MS = 15_000;
  private static final int READ_TIMEOUT_MS = 30_000;
  private static final int PROGRESS_STEPS = 10;

  private final String baseUrl;
  private final Map<String, String> sha256;

  /**
   * Creates a downloader for one mirror.
   *
   * @param baseUrl ends with a slash; {@code NAME.gz} is appended to it
   * @param sha256 SHA-256 of each decompressed file by name; a name absent is not verified
   */
  Downloader(String baseUrl, Map<String, String> sha256) {
    this.baseUrl = baseUrl;
    this.sha256 = sha256;
  }

  /** Downloads each of {@code names} for which neither {@code NAME.gz} nor {@code NAME} exists. */
  void downloadMissing(Path dir, List<String> names) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new DataSourceException(dir + ": cannot create the download directory: " + e, e);
    }
    for (String name : names) {
      if (IdxFile.locate(dir, name) == null) {
        download(dir, name);
      }
    }
  }

  private void download(Path dir, String name) {
    String fileName = name + ".gz";
    String url = baseUrl + fileName;
    try {
      AtomicFiles.write(
          dir.resolve(fileName),
          temp -> {
            fetch(url, temp, fileName);
            IdxFile.checkSha256(url, sha256.get(name), IdxFile.sha256OfGzip(temp));
          });
    } catch (IOException e) {
      throw new DataSourceException(url + ": download failed: " + e, e);
    }
  }

  private static void fetch(String url, Path temp, String fileName) throws IOException {
    URL parsed;
    try {
      parsed = URI.create(url).toURL();
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid URL " + url, e);
    }
    HttpURLConnection connection = (HttpURLConnection) parsed.openConnection();
    connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
    connection.setReadTimeout(READ_TIMEOUT_MS);
    try {
      int status = connection.getResponseCode();
      if (status != HttpURLConnection.HTTP_OK) {
        throw new IOException("HTTP " + status + " " + connection.getResponseMessage());
      }
      long total = connection.getContentLengthLong();
      try (InputStream in = connection.getInputStream();
          OutputStream out = Files.newOutputStream(temp)) {
        copyWithProgress(in, out, total, fileName);
      }
    } finally {
      connection.disconnect();
    }
  }

  /** Copies the body, printing {@code Downloading NAME: 10% 20% ... 100%} on one stderr line. */
  private static void copyWithProgress(
      InputStream in, OutputStream out, long total, String fileName) throws IOException {
    System.err.print("Downloading " + fileName + (total > 0 ? " (" + total + " bytes):" : ":"));
    byte[] buffer = new byte[1 << 16];
    long done = 0;
    int shownStep = 0;
    for (int n; (n = in.read(buffer)) != -1; ) {
      out.write(buffer, 0, n);
      done += n;
      int step = total > 0 ? (int) Math.min(PROGRESS_STEPS, done * PROGRESS_STEPS / total) : 0;
      for (; shownStep < step; shownStep++) {
        System.err.print(" " + (shownStep + 1) * 100 / PROGRESS_STEPS + "%");
      }
    }
    System.err.println(" done, " + done + " bytes");
  }
}
