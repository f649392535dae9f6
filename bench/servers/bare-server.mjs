// The physical limit: W1's work done by hand on a bare `node:http` server. Parse the JSON body,
// map {event, amount, customer_id} to {type, cents, customer}, keep cents > 1000, answer the
// mapped JSON. Nothing is persisted. Plain JavaScript, so no compiler is loaded into it.
// Listens on 127.0.0.1:$PORT.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    let input;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end('{"error":"malformed JSON"}');
      return;
    }
    const mapped = { type: input?.event, cents: input?.amount, customer: input?.customer_id };
    if (typeof mapped.cents !== 'number' || !(mapped.cents > 1000)) {
      response.writeHead(204);
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(mapped));
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
