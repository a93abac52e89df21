package io.github.homl.data;

/**
 * A data set that could not be found, downloaded or read. The message names the file or directory
 * and what was wrong with it.
 */
public class DataSourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataSourceException(String message) {
    super(message);
  }

  public DataSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
