package com.gigsta.booking.examples.service;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body above a limit with 413 before anything reads it: at once when its
 * {@code Content-Length} says so, and otherwise (chunked) as soon as one byte more than the limit has
 * arrived, so a client cannot make the service read megabytes it will refuse anyway. A body within the
 * limit is read here and handed on from memory. Form posts (the login form) are left to Tomcat's own form
 * size limit, because Tomcat parses their parameters from the request itself. Thread-safe.
 */
final class RequestBodyLimit extends OncePerRequestFilter {

  private final long limit;
  private final ProblemWriter problems;

  RequestBodyLimit(long limit, ProblemWriter problems) {
    this.limit = limit;
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      refuse(request, response);
      return;
    }
    boolean chunked = request.getHeader("Transfer-Encoding") != null;
    if ((declared <= 0 && !chunked) || isForm(request)) {
      chain.doFilter(request, response);
      return;
    }
    byte[] body = readUpTo(request.getInputStream(), limit + 1);
    if (body.length > limit) {
      refuse(request, response);
      return;
    }
    chain.doFilter(new ReadBody(request, body), response);
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
    // The rest of the body is never read, so the connection cannot carry another request.
    response.setHeader("Connection", "close");
    problems.write(request, response, Problems.bodyTooLarge(limit));
    response.flushBuffer();
  }

  private static boolean isForm(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null) {
      return false;
    }
    try {
      MediaType mediaType = MediaType.parseMediaType(type);
      return MediaType.APPLICATION_FORM_URLENCODED.includes(mediaType) || MediaType.MULTIPART_FORM_DATA.includes(mediaType);
    } catch (org.springframework.util.InvalidMimeTypeException e) {
      return false;
    }
  }

  private static byte[] readUpTo(InputStream in, long max) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    while (read.size() < max) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, max - read.size()));
      if (n < 0) {
        break;
      }
      read.write(buffer, 0, n);
    }
    return read.toByteArray();
  }

  /** The request with its body read already. */
  private static final class ReadBody extends HttpServletRequestWrapper {
    private final byte[] body;

    ReadBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body has been read already; no asynchronous reading");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
