import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode, type Logger } from '../core/index.js';
import { problem, type Problem } from './problem.js';

/**
 * Answers a request Node's HTTP parser refused before fastify saw it (a request line or headers over
 * the size limit, a malformed request, a client too slow) with problem+json like every other error,
 * then closes the connection, since the parser cannot find where the next request starts.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex, log: Logger): void {
  // A reset connection has nobody to answer (https://nodejs.org/api/http.html#event-clienterror).
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const body = problemForClientError(error.code);
  log.debug({ err: error, status: body.status }, 'HTTP request refused by the parser');
  if (socket.writable) {
    const json = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status] ?? ''}\r\n` +
        `Content-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
        `Connection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy();
}

function problemForClientError(code: string | undefined): Problem {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return problem(408, ErrorCode.InvalidArgument, 'the request did not arrive in time; send it whole');
  if (code === 'HPE_HEADER_OVERFLOW')
    return problem(
      431,
      ErrorCode.InvalidArgument,
      'the request line and headers are larger than the server accepts (16 KiB); shorten the URL or the headers',
    );
  return problem(400, ErrorCode.InvalidArgument, 'the request is not valid HTTP/1.1 (RFC 9112)');
}
