package com.gigsta.booking.examples.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client sends as written: encoded slashes, NUL bytes,
 * invalid UTF-8, request lines longer than the server takes, or a body that stops arriving. Not thread-safe.
 */
final class RawHttp implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One answer as it came over the wire. */
  record Reply(int status, List<String> headerLines, String body) {
    Optional<String> header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      return headerLines.stream().filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
          .map(line -> line.substring(prefix.length()).trim()).findFirst();
    }

    String contentType() {
      return header("Content-Type").orElse("");
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  RawHttp(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(20_000);
      out = socket.getOutputStream();
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one GET with the request target exactly as given and reads the answer; the connection closes. */
  static Reply get(int port, String target, String... headers) {
    try (RawHttp http = new RawHttp(port)) {
      StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      for (String header : headers) {
        request.append(header).append("\r\n");
      }
      request.append("Connection: close\r\n\r\n");
      http.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      return http.read();
    }
  }

  /** Writes bytes as they are. */
  void write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one answer: status line, headers and a body of Content-Length bytes, chunks, or up to the end. */
  Reply read() {
    try {
      String statusLine = line();
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      List<String> headers = new ArrayList<>();
      for (String line = line(); !line.isEmpty(); line = line()) {
        headers.add(line);
      }
      Reply head = new Reply(status, headers, "");
      byte[] body;
      if (head.header("Content-Length").isPresent()) {
        body = in.readNBytes(Integer.parseInt(head.header("Content-Length").get()));
      } else if (head.header("Transfer-Encoding").filter(value -> value.equalsIgnoreCase("chunked")).isPresent()) {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
          chunks.write(in.readNBytes(size));
          line();
        }
        body = chunks.toByteArray();
      } else {
        body = in.readAllBytes();
      }
      return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed in the middle of a line: " + line);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
